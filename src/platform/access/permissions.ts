// Roles and what each may do, kept as data so the route-registry test and the admin pages read
// the same table the checks use (security.md AC-1, pitfall P7). A role grants permissions; the
// user's organisation decides *which* records those permissions reach (see scope.ts).

export const roles = [
  'raa_social_worker',
  'family_finder',
  'assessing_social_worker',
  'support_worker',
  'team_manager',
  'panel_adviser',
  'panel_administrator',
  'panel_member',
  'agency_decision_maker',
  'head_of_service',
  'la_social_worker',
  'la_manager',
  'board_member',
  'finance_officer',
  'performance_officer',
  'system_administrator',
] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  raa_social_worker: 'RAA social worker',
  family_finder: 'Family finder',
  assessing_social_worker: 'Assessing social worker',
  support_worker: 'Adoption support worker',
  team_manager: 'Team manager',
  panel_adviser: 'Panel adviser',
  panel_administrator: 'Panel administrator',
  panel_member: 'Panel member',
  agency_decision_maker: 'Agency decision maker',
  head_of_service: 'Head of service',
  la_social_worker: 'Council social worker',
  la_manager: 'Council manager',
  board_member: 'Board member',
  finance_officer: 'Finance officer',
  performance_officer: 'Performance officer',
  system_administrator: 'System administrator',
};

export const permissions = [
  /** See the organisations of the region and their details. */
  'organisations:read',
  /** Load and change the region's organisations. */
  'organisations:manage',
  /** Invite users, assign roles, deactivate accounts, reset second factors (own organisation's scope). */
  'users:manage',
  /** See who viewed or changed a record ("who viewed this record"). */
  'audit:read',
  /** See children's records in scope and the tracking board (issue 4). */
  'children:read',
  /** Add children, change their records and record journey facts. */
  'children:write',
  /** See and change need-to-know parts of a child's record: birth family, profile and photos (design.md §3). */
  'children:restricted',
  /** See the RAA's enquiries from people interested in adopting and record what was done (issue 5 §1). */
  'enquiries:triage',
  /** See and work on prospective adopters' households: registration, assessment, approval (issue 5 §2–§3). */
  'adopters:assess',
  /** A member council's answer to the RAA's statutory checks addressed to it (issue 5 §7). */
  'adopters:council-checks',
  /** See ranked candidates for a child or household in scope, and each child's linking and family-finding log (issue 6). */
  'matching:read',
  /** Shortlist households, move links through the linking workflow, log family-finding activity. */
  'matching:link',
  /** Exclude a household from the council's children's searches (a council's decision, issue 6 §1). */
  'matching:exclude',
  /** Set the RAA's matching weights (audited). */
  'matching:configure',
  /** See the sufficiency of families for the children waiting, and recruitment priorities (issue 6 §4). */
  'sufficiency:read',
  /** See the RAA's panels, sittings, agendas, papers and minutes (panel members: the sittings they sit on; issue 7). */
  'panels:read',
  /** Keep the central list, schedule sittings, build agendas, attach and circulate papers, record attendance. */
  'panels:manage',
  /** Record minutes, conflicts of interest, amendments and quality issues for an item. */
  'panels:minute',
  /** Sign off an item's minutes as the chair (the panel adviser on the chair's behalf, or the chair's own account). */
  'panels:sign-off',
  /** Make agency decisions on panel items: the RAA's for adopters, the child's council's for matches and plans. */
  'decisions:make',
  /** See the panels' six-monthly quality report (aggregates only). */
  'panels:report',
  /** See the RAA's adoption support cases for adoptive families, the letterbox and the core offer (issue 8). */
  'support:read',
  /** Open and change support cases, assessments, plans, liaison notes, letterbox items and the core offer. */
  'support:write',
  /** See and work on adopted adults' and birth relatives' cases and records requests: need-to-know (issue 8 §5–§6). */
  'support:restricted',
  /** Make and move Adoption Support Fund applications for the children of adoptive families (issue 8 §2). */
  'support:fund',
  /** See the Adoption Support Fund's spend by council (aggregates, no names; issue 8 §2). */
  'support:spend',
  /** A council's liaison notes with the RAA about its children's support cases, and nothing else of them (issue 8 §1). */
  'support:liaison',
  /** See performance reports, the scorecard and the board dashboard: aggregates only, for the councils in scope (issue 9 §3–§4). */
  'reports:read',
  /** Follow a report's figure to the named children or households behind it (needs the record's own permission too). */
  'reports:drill-down',
  /** Write the head of service's commentary on a quarterly or monthly report. */
  'reports:comment',
  /** Import a council's SSDA903 return into the children's records (issue 9 §1). */
  'ssda903:import',
  /** Produce child- and adopter-level statutory returns (ASGLB, Ofsted Annex A Lists 10 and 11): personal data (issue 9 §5). */
  'returns:export',
] as const;
export type Permission = (typeof permissions)[number];

const everyone: Permission[] = ['organisations:read'];
/** Those who work a child's case day to day: they record the journey and need the birth family's details. */
const childCaseWork: Permission[] = ['children:read', 'children:write', 'children:restricted'];

// Enquiries from the public reach the RAA's recruitment and assessment staff and their managers;
// councils do not see them (issue 5 §7).
// Children's records (issue 4 §6): case workers and their managers on both sides of the service
// schedule; panel advisers and decision makers read them to prepare and decide; performance
// officers read the board for reporting. Board members see aggregates only (design.md §3), and
// support, panel administration and finance have no need of a child's record.
// Matching (issue 6 §5): family finders and the RAA's social workers work the pool and the links;
// council staff see candidate lists for their own children (non-identifying) and may exclude a
// household; managers set the weights; sufficiency is for those who plan family finding and
// recruitment.
const matchingWork: Permission[] = ['matching:read', 'matching:link', 'sufficiency:read'];
// Panels (issue 7): the panel adviser and administrator run them; the adviser signs off for the
// chair; a panel member's account sees only the sittings they are asked to; decision makers read
// what they decide on (the RAA's for adopters, a council's for its children's matches); managers
// read; the board sees the six-monthly quality report, which holds aggregates only.
const panelWork: Permission[] = ['panels:read', 'panels:manage', 'panels:minute', 'panels:report'];
// Adoption support (issue 8 §6): the support team and their managers; not family finders. Adopted
// adults' and birth relatives' records are need-to-know: support workers and team managers only.
// The head of service reads family cases and the fund's spend; finance sees spend by council only;
// councils see the liaison notes addressed to them.
const supportWork: Permission[] = ['support:read', 'support:write', 'support:restricted', 'support:fund'];
export const rolePermissions: Record<Role, readonly Permission[]> = {
  raa_social_worker: [...everyone, ...childCaseWork, 'enquiries:triage', 'adopters:assess', ...matchingWork],
  family_finder: [...everyone, ...childCaseWork, ...matchingWork],
  assessing_social_worker: [
    ...everyone,
    'children:read',
    'enquiries:triage',
    'adopters:assess',
    'matching:read',
    'sufficiency:read',
  ],
  support_worker: [...everyone, ...supportWork],
  team_manager: [
    ...everyone,
    'users:manage',
    'audit:read',
    ...childCaseWork,
    'enquiries:triage',
    'adopters:assess',
    ...matchingWork,
    'matching:exclude',
    'matching:configure',
    'panels:read',
    'panels:report',
    ...supportWork,
    'support:spend',
    'reports:read',
    'reports:drill-down',
  ],
  panel_adviser: [...everyone, 'children:read', ...panelWork, 'panels:sign-off'],
  panel_administrator: [...everyone, ...panelWork],
  panel_member: ['panels:read', 'panels:sign-off'],
  agency_decision_maker: [
    ...everyone,
    'children:read',
    'children:restricted',
    'panels:read',
    'decisions:make',
    'panels:report',
  ],
  head_of_service: [
    ...everyone,
    'audit:read',
    'children:read',
    'enquiries:triage',
    'adopters:assess',
    'matching:read',
    'matching:configure',
    'sufficiency:read',
    'panels:read',
    'panels:report',
    'support:read',
    'support:spend',
    'reports:read',
    'reports:drill-down',
    'reports:comment',
    'returns:export',
  ],
  la_social_worker: [
    ...everyone,
    ...childCaseWork,
    'adopters:council-checks',
    'matching:read',
    'matching:exclude',
    'support:liaison',
  ],
  la_manager: [
    ...everyone,
    'users:manage',
    'audit:read',
    ...childCaseWork,
    'adopters:council-checks',
    'matching:read',
    'matching:exclude',
    'support:liaison',
    'reports:read',
    'reports:drill-down',
    'ssda903:import',
  ],
  board_member: [...everyone, 'panels:report', 'reports:read'],
  finance_officer: [...everyone, 'support:spend'],
  performance_officer: [
    ...everyone,
    'children:read',
    'sufficiency:read',
    'panels:report',
    'reports:read',
    'reports:drill-down',
    'reports:comment',
    'ssda903:import',
    'returns:export',
  ],
  system_administrator: [...everyone, 'organisations:manage', 'users:manage', 'audit:read'],
};

export function permissionsFor(userRoles: readonly Role[]): Set<Permission> {
  return new Set(userRoles.flatMap((role) => rolePermissions[role]));
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}
