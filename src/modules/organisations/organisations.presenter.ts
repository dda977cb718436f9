// View-models for the organisation pages: plain text and links, never raw rows (design.md §2).
// Page models are type aliases so they pass as a view's data as they are.
import { organisationPaths } from './organisations.paths.js';
import type { OrganisationRow } from './organisations.repository.js';
import type { OrganisationDetail, RegionTree } from './organisations.service.js';
import type { OrganisationKind } from './organisations.tables.js';

export const organisationKindLabels: Record<OrganisationKind, string> = {
  hub: 'Hub',
  raa: 'Regional adoption agency',
  spoke: 'Spoke',
  local_authority: 'Member council',
  team: 'Team',
  voluntary_adoption_agency: 'Voluntary adoption agency',
  adoption_support_agency: 'Adoption support agency',
  partner_raa: 'Partner regional adoption agency',
};

const partnerHeadings: Partial<Record<OrganisationKind, string>> = {
  partner_raa: 'Other regional adoption agencies in the hub',
  voluntary_adoption_agency: 'Voluntary adoption agencies',
  adoption_support_agency: 'Adoption support agencies',
};

export interface OrganisationLink {
  name: string;
  href: string;
  kind: string;
}

export interface CouncilRow extends OrganisationLink {
  laCode: string;
  onsCode: string;
  isHost: boolean;
  postcodeDistricts: string;
}

export type RegionPage = {
  pageTitle: string;
  showDemoNotice: boolean;
  raa: OrganisationLink | undefined;
  hub: OrganisationLink | undefined;
  host: OrganisationLink | undefined;
  spokes: Array<{ spoke: OrganisationLink; councils: CouncilRow[]; teams: OrganisationLink[] }>;
  partners: Array<{ heading: string; organisations: OrganisationLink[] }>;
  others: OrganisationLink[];
  inactive: OrganisationLink[];
};

/** A row of the detail page's summary list: text, a link, or several lines. */
export interface SummaryRow {
  key: string;
  value: string;
  href?: string;
}

export type OrganisationPage = {
  pageTitle: string;
  caption: string;
  name: string;
  active: boolean;
  showDemoNotice: boolean;
  rows: SummaryRow[];
  children: OrganisationLink[];
  backHref: string;
};

function link(row: OrganisationRow): OrganisationLink {
  return { name: row.name, href: organisationPaths.detail(row.code), kind: organisationKindLabels[row.kind] };
}

/** The shell shows its own banner in demo mode; these pages say so when the data itself is demo. */
function demoNotice(isDemo: boolean, shellDemo: boolean): boolean {
  return isDemo && !shellDemo;
}

export function presentRegion(tree: RegionTree, options: { shellDemo: boolean }): RegionPage {
  const host = tree.spokes.flatMap((s) => s.councils).find((council) => council.is_host);
  return {
    pageTitle: 'Organisations',
    showDemoNotice: demoNotice(tree.isDemo, options.shellDemo),
    raa: tree.raa && link(tree.raa),
    hub: tree.hub && link(tree.hub),
    host: host && link(host),
    spokes: tree.spokes.map(({ spoke, councils, teams }) => ({
      spoke: link(spoke),
      councils: councils.map((council) => ({
        ...link(council),
        laCode: council.la_code ?? '',
        onsCode: council.ons_code ?? '',
        isHost: council.is_host,
        postcodeDistricts: council.postcode_districts.join(', '),
      })),
      teams: teams.map(link),
    })),
    partners: tree.partners.map((group) => ({
      heading: partnerHeadings[group.kind] ?? organisationKindLabels[group.kind],
      organisations: group.organisations.map(link),
    })),
    others: tree.others.map(link),
    inactive: tree.inactive.map(link),
  };
}

export function presentOrganisation(
  detail: OrganisationDetail,
  options: { shellDemo: boolean },
): OrganisationPage {
  const { organisation: o, parent, raa } = detail;
  const rows: SummaryRow[] = [
    { key: 'Type', value: `${organisationKindLabels[o.kind]}${o.is_host ? ' (hosts the RAA)' : ''}` },
    { key: 'Kindred code', value: o.code },
  ];
  if (parent) rows.push({ key: 'Part of', value: parent.name, href: organisationPaths.detail(parent.code) });
  if (raa && raa.id !== parent?.id) {
    const key = o.parent_id === null || o.kind === 'partner_raa' ? 'Works with' : 'Regional adoption agency';
    rows.push({ key, value: raa.name, href: organisationPaths.detail(raa.code) });
  }
  if (o.la_code) rows.push({ key: 'DfE local authority code', value: o.la_code });
  if (o.ons_code) rows.push({ key: 'ONS code', value: o.ons_code });
  if (o.postcode_districts.length)
    rows.push({ key: 'Postcode districts', value: o.postcode_districts.join(', ') });
  if (o.contact_email) rows.push({ key: 'Email', value: o.contact_email, href: `mailto:${o.contact_email}` });
  if (o.contact_phone) rows.push({ key: 'Telephone', value: o.contact_phone });
  if (o.website) rows.push({ key: 'Website', value: o.website, href: o.website });
  rows.push({ key: 'Status', value: o.active ? 'Part of the region' : 'No longer part of the region' });
  return {
    pageTitle: o.name,
    caption: organisationKindLabels[o.kind],
    name: o.name,
    active: o.active,
    showDemoNotice: demoNotice(o.is_demo, options.shellDemo),
    rows,
    children: detail.children.map(link),
    backHref: organisationPaths.list(),
  };
}
