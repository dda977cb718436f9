// Turns what the panel services return into what the pages show: labels, dates in words, links,
// and which forms the person may use. No rules here beyond "may this person see this form".
import type { Actor } from '../../platform/access/actor.js';
import { formatDate, formatDateTime } from '../../platform/views/render.js';
import { reviewRouteLabels } from './decisions.service.js';
import type { ItemPage } from './panel-pages.service.js';
import {
  decisionOutcomeLabels,
  decidingSide,
  itemKindLabels,
  memberRoleLabels,
  outcomesFor,
  panelRuleSources,
  recommendationLabels,
  type PanelRules,
} from './panel-rules.js';
import type { ItemRow, SittingMemberRow } from './panels.repository.js';
import { qualityCategoryLabels } from './quality-report.js';
import type {
  Attendance,
  ItemKind,
  LivedExperience,
  QualityCategory,
  Recommendation,
} from './panels.tables.js';
import { qualityCategories, recommendations, reviewRoutes } from './panels.tables.js';

export const panelPaths = {
  panels: '/panels',
  panel: (id: string) => `/panels/${id}`,
  sittings: (panelId: string) => `/panels/${panelId}/sittings`,
  sitting: (id: string) => `/panel-sittings/${id}`,
  members: (id: string) => `/panel-sittings/${id}/members`,
  attendance: (id: string) => `/panel-sittings/${id}/attendance`,
  circulation: (id: string) => `/panel-sittings/${id}/papers`,
  cancel: (id: string) => `/panel-sittings/${id}/cancel`,
  readyCases: (id: string) => `/panel-sittings/${id}/agenda/new`,
  agenda: (id: string) => `/panel-sittings/${id}/agenda`,
  item: (id: string) => `/panel-items/${id}`,
  remove: (id: string) => `/panel-items/${id}/remove`,
  papers: (id: string) => `/panel-items/${id}/papers`,
  paper: (id: string, paperId: string) => `/panel-items/${id}/papers/${paperId}`,
  conflicts: (id: string) => `/panel-items/${id}/conflicts`,
  minute: (id: string) => `/panel-items/${id}/minute`,
  signOff: (id: string) => `/panel-items/${id}/sign-off`,
  amendments: (id: string) => `/panel-items/${id}/amendments`,
  quality: (id: string) => `/panel-items/${id}/quality`,
  decision: (id: string) => `/panel-items/${id}/decision`,
  route: (id: string) => `/panel-items/${id}/determination-route`,
  finalDecision: (id: string) => `/panel-items/${id}/final-decision`,
  letter: (id: string) => `/panel-letters/${id}`,
  centralList: '/central-list',
  newMember: '/central-list/new',
  member: (id: string) => `/central-list/${id}`,
  editMember: (id: string) => `/central-list/${id}/edit`,
  training: (id: string) => `/central-list/${id}/training`,
  interests: (id: string) => `/central-list/${id}/interests`,
  decisions: '/decisions',
  report: '/panels/quality',
  reportCsv: '/panels/quality.csv',
  reportPdf: '/panels/quality.pdf',
};

export const attendanceLabels: Record<Attendance, string> = {
  invited: 'Not yet recorded',
  present: 'Present',
  apologies: 'Sent apologies',
  absent: 'Absent',
};

export const livedExperienceLabels: Record<LivedExperience, string> = {
  adopted_adult: 'Adopted adult',
  adoptive_parent: 'Adoptive parent',
  birth_relative: 'Birth relative of an adopted person',
  other: 'Other personal experience of adoption',
};

const fullName = (first: string | null, last: string | null, knownAs?: string | null) =>
  `${knownAs || first || ''} ${last ?? ''}`.trim();

/** How an item is named on pages for those who may see it: the child's name, the household's reference and names. */
export function caseName(item: ItemRow, applicants: readonly string[]): string {
  const household = item.household_reference
    ? `household ${item.household_reference}${applicants.length ? ` (${applicants.join(' and ')})` : ''}`
    : '';
  const child = item.child_id
    ? fullName(item.child_first_name, item.child_last_name, item.child_known_as)
    : '';
  if (item.kind === 'match') return `${child} with ${household}`;
  if (item.kind === 'relinquished_plan') return child;
  return household.charAt(0).toUpperCase() + household.slice(1);
}

export function itemStatus(item: ItemRow): { text: string; colour: string } {
  if (item.final_outcome)
    return {
      text: item.final_outcome === 'approved' ? 'Approved (final)' : 'Not approved (final)',
      colour: 'green',
    };
  if (item.outcome) return { text: decisionOutcomeLabels[item.outcome], colour: 'green' };
  if (item.signed_off_at && item.recommendation === 'deferred') return { text: 'Deferred', colour: 'yellow' };
  if (item.signed_off_at) return { text: 'Final minutes: decision due', colour: 'blue' };
  if (item.recommendation) return { text: 'Minute drafted', colour: 'light-blue' };
  return { text: 'On the agenda', colour: 'grey' };
}

export function confirmNote(key: keyof PanelRules): string {
  return panelRuleSources[key].confirm ? ' (to be confirmed)' : '';
}

export function memberRows(members: readonly SittingMemberRow[], papersDue: string) {
  return members.map((m) => ({
    id: m.member_id,
    name: m.name,
    role: memberRoleLabels[m.role],
    attendance: m.attendance,
    attendanceLabel: attendanceLabels[m.attendance],
    sent: m.papers_sent_on ? formatDate(m.papers_sent_on) : 'Not sent',
    late: !!m.papers_sent_on && m.papers_sent_on > papersDue,
    received: m.papers_received_on ? formatDate(m.papers_received_on) : '',
  }));
}

const mediaLabel = (type: string) => (type === 'application/pdf' ? 'PDF' : 'Word document');
const megabytes = (bytes: number) =>
  bytes < 1024 * 1024
    ? `${Math.max(1, Math.round(bytes / 1024))} KB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const fieldLabels: Record<string, string> = {
  reasons: 'Reasons',
  dissent: 'Dissent',
  conditions: 'Advice to the agency',
  votesFor: 'Votes in favour',
  votesAgainst: 'Votes against',
  abstentions: 'Abstentions',
};

export function presentItem(page: ItemPage, actor: Actor, rules: PanelRules) {
  const { item, access } = page;
  const staff = access === 'staff';
  const can = (p: Parameters<Actor['permissions']['has']>[0]) => actor.permissions.has(p);
  const kind = item.kind as ItemKind;
  const signedOff = !!item.signed_off_at;
  const deferred = item.recommendation === 'deferred';
  const name = caseName(item, page.applicants);
  const chairIsMe = !!page.chair && page.chair.user_id === actor.userId;
  const recommendationItems = (chosen?: string) =>
    recommendations.map((r: Recommendation) => ({
      value: r,
      text: recommendationLabels[kind][r],
      checked: chosen === r,
    }));
  const [yes, no] = outcomesFor[kind];
  const childLabel = escapeHtml(fullName(item.child_first_name, item.child_last_name, item.child_known_as));
  return {
    pageTitle: `${itemKindLabels[kind]}: ${name}`,
    kindLabel: itemKindLabels[kind],
    name,
    removed: item.status === 'removed',
    sittingHref: `/panel-sittings/${item.sitting_id}`,
    sittingCaption: `${item.panel_name}, sitting on ${formatDate(item.sitting_date)}`,
    summary: [
      { key: { text: 'Kind of case' }, value: { text: itemKindLabels[kind] } },
      ...(item.household_reference
        ? [
            {
              key: { text: 'Prospective adopters' },
              value:
                staff && can('adopters:assess')
                  ? {
                      html: `<a class="govuk-link" href="/households/${item.household_id}">Household ${item.household_reference}</a>${page.applicants.length ? ` (${escapeHtml(page.applicants.join(' and '))})` : ''}`,
                    }
                  : {
                      text: `Household ${item.household_reference}${page.applicants.length ? ` (${page.applicants.join(' and ')})` : ''}`,
                    },
            },
          ]
        : []),
      ...(item.child_id
        ? [
            {
              key: { text: 'Child' },
              value: {
                html: `${can('children:read') ? `<a class="govuk-link" href="/children/${item.child_id}">${childLabel}</a>` : childLabel}, ${escapeHtml(item.child_council_name ?? '')} (${escapeHtml(item.council_child_id ?? '')})`,
              },
            },
          ]
        : []),
      {
        key: { text: 'Who decides' },
        value: {
          text:
            decidingSide[kind] === 'raa'
              ? 'The RAA’s agency decision maker'
              : `The agency decision maker of ${item.child_council_name ?? 'the child’s council'}, the child’s council`,
        },
      },
      {
        key: { text: 'Papers due with members by' },
        value: {
          text: `${formatDate(page.papersDue)} (${rules.papersLeadWorkingDays} working days before the sitting${confirmNote('papersLeadWorkingDays')})`,
        },
      },
    ],
    papers: page.papers.map((p) => ({
      title: p.title,
      href: `/panel-items/${item.id}/papers/${p.id}`,
      kind: mediaLabel(p.media_type),
      size: megabytes(p.size_bytes),
      uploadedAt: formatDateTime(p.uploaded_at),
      by: p.uploaded_by_name ?? 'Kindred',
      late: p.uploaded_at.toISOString().slice(0, 10) > page.papersDue,
    })),
    mayUpload: staff && can('panels:manage') && !signedOff && item.status === 'listed',
    conflicts: page.conflicts.map((c) => ({
      name: c.name,
      description: c.description,
      withdrew: c.withdrew,
      recordedAt: formatDateTime(c.recorded_at),
    })),
    mayRecordConflict: staff && can('panels:minute') && !signedOff && item.status === 'listed',
    memberItems: [
      { value: '', text: 'Choose the member' },
      ...page.members.map((m) => ({ value: m.member_id, text: `${m.name} (${memberRoleLabels[m.role]})` })),
    ],
    quorum: {
      ...page.quorum,
      note: `The quorum is ${item.joint ? rules.jointQuorumMinimum : rules.quorumMinimum} members${confirmNote(item.joint ? 'jointQuorumMinimum' : 'quorumMinimum')}, including the chair or a vice chair, a social worker with ${rules.socialWorkerExperienceYears} years’ post-qualifying experience and an independent member. Advisers do not count; members who withdrew from this item are left out.`,
    },
    chair: page.chair ? page.chair.name : null,
    minute: item.recommendation
      ? {
          recommendation: recommendationLabels[kind][item.recommendation],
          reasons: item.reasons,
          dissent: item.dissent,
          conditions: item.conditions,
          votes:
            item.votes_for === null && item.votes_against === null && item.abstentions === null
              ? null
              : `${item.votes_for ?? 0} in favour, ${item.votes_against ?? 0} against, ${item.abstentions ?? 0} abstaining`,
          signedOff: signedOff
            ? `Signed off on ${formatDateTime(item.signed_off_at)} by ${page.signedOffByName ?? 'Kindred'}${page.chair && page.signedOffByName !== page.chair.name ? ` for the chair, ${page.chair.name}` : ''}`
            : null,
          amended: (item.amendment_count ?? 0) > 0,
        }
      : null,
    minuteVersion: String(item.minute_version ?? 0),
    mayMinute: staff && can('panels:minute') && !signedOff && item.status === 'listed',
    recommendationItems,
    maySignOff:
      !!item.recommendation &&
      !signedOff &&
      can('panels:sign-off') &&
      ((staff && actor.roles.includes('panel_adviser')) || chairIsMe),
    mayAmend: staff && can('panels:minute') && signedOff,
    amendments: page.amendments.map((a) => ({
      when: formatDateTime(a.amended_at),
      by: a.amended_by_name ?? 'Kindred',
      reason: a.reason,
      changes: Object.entries(a.changes).map(([field, change]) => ({
        field: fieldLabels[field] ?? field,
        from: change.from === null || change.from === '' ? '(blank)' : String(change.from),
        to: change.to === null || change.to === '' ? '(blank)' : String(change.to),
      })),
    })),
    quality: page.quality.map((q) => ({
      category: qualityCategoryLabels[q.category as QualityCategory],
      note: q.note,
      when: formatDateTime(q.recorded_at),
    })),
    qualityItems: [
      { value: '', text: 'Choose what the issue is about' },
      ...qualityCategories.map((c) => ({ value: c, text: qualityCategoryLabels[c] })),
    ],
    mayRecordQuality: staff && can('panels:minute') && !!item.recommendation,
    clock: page.clock
      ? {
          due: formatDate(page.clock.due),
          label: page.clock.label,
          overdue: page.clock.overdue,
          from: formatDate(page.clock.from),
        }
      : null,
    decision: item.outcome
      ? {
          outcome: decisionOutcomeLabels[item.outcome],
          reasons: item.decision_reasons,
          on: formatDate(item.decided_on),
          by: page.decidedByName ?? 'Kindred',
          against: item.agrees_with_recommendation === false,
        }
      : null,
    mayDecide: can('decisions:make') && signedOff && !deferred && !item.outcome,
    deciderProblem: page.deciderProblem,
    outcomeItems: (chosen?: string) =>
      [yes, no].map((o) => ({ value: o, text: decisionOutcomeLabels[o], checked: chosen === o })),
    determination:
      item.outcome === 'qualifying_determination'
        ? {
            due: formatDate(item.representations_due),
            route: item.route ? reviewRouteLabels[item.route] : null,
            requestedOn: item.route_requested_on ? formatDate(item.route_requested_on) : null,
            final: item.final_outcome
              ? {
                  outcome:
                    item.final_outcome === 'approved' ? 'Approved as suitable to adopt' : 'Not approved',
                  reasons: item.final_reasons,
                  on: formatDate(item.final_decided_on),
                }
              : null,
          }
        : null,
    mayRecordRoute:
      staff &&
      can('panels:manage') &&
      item.outcome === 'qualifying_determination' &&
      !item.route &&
      !item.final_outcome,
    mayFinal: can('decisions:make') && item.outcome === 'qualifying_determination' && !item.final_outcome,
    routeItems: (chosen?: string) =>
      reviewRoutes.map((r) => ({ value: r, text: reviewRouteLabels[r], checked: chosen === r })),
    letters: page.letters.map((l) => ({
      href: `/panel-letters/${l.id}`,
      name: l.file_name,
      created: formatDateTime(l.created_at),
    })),
    escalations: page.escalations.map(
      (e) => `${formatDate(e.escalated_on)} (${e.recipients} ${e.recipients === 1 ? 'person' : 'people'})`,
    ),
    mayRemove: staff && can('panels:manage') && !item.recommendation && item.status === 'listed',
    actions: {
      remove: `/panel-items/${item.id}/remove`,
      papers: `/panel-items/${item.id}/papers`,
      conflicts: `/panel-items/${item.id}/conflicts`,
      minute: `/panel-items/${item.id}/minute`,
      signOff: `/panel-items/${item.id}/sign-off`,
      amendments: `/panel-items/${item.id}/amendments`,
      quality: `/panel-items/${item.id}/quality`,
      decision: `/panel-items/${item.id}/decision`,
      route: `/panel-items/${item.id}/determination-route`,
      finalDecision: `/panel-items/${item.id}/final-decision`,
    },
  };
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
