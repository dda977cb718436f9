// A support case's page (issue 8 §1): who asked and why, the people, assessments and plans, the
// liaison with councils, the fund, letterbox agreements and records requests. Served in one read
// and audited as it is served (design.md §2.4).
import type { Actor } from '../../platform/access/actor.js';
import type { AuditContext } from '../../platform/audit/audit.js';
import { todayInLondon } from '../../platform/time/index.js';
import { limitsByChild } from './fund.service.js';
import {
  agreementsOfCase,
  assessmentsOf,
  councilsOfRaa,
  fundApplicationsOfCase,
  householdNames,
  liaisonOf,
  personOf,
  plansOf,
  recordRequestsOf,
  supportWorkers,
} from './support.repository.js';
import { financialYearOf, fundApplicationDueOn, periodState } from './support-rules.js';
import { auditSupport, caseForActor, type SupportDeps } from './support.service.js';

export async function caseRecord(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  caseId: string,
) {
  const action = 'support.case.view';
  const found = await caseForActor(deps, actor, auditContext, action, caseId);
  const today = todayInLondon(auditContext.now);
  const year = financialYearOf(today);
  const mayFund = actor.permissions.has('support:fund');
  const [
    person,
    children,
    assessments,
    plans,
    liaison,
    fund,
    agreements,
    records,
    councils,
    workers,
    householdPeople,
  ] = await Promise.all([
    personOf(deps.db, found.id),
    limitsByChild(deps.db, found.id, year),
    assessmentsOf(deps.db, found.id),
    plansOf(deps.db, found.id),
    liaisonOf(deps.db, found.id),
    mayFund ? fundApplicationsOfCase(deps.db, found.id) : Promise.resolve([]),
    agreementsOfCase(deps.db, found.id),
    recordRequestsOf(deps.db, found.id),
    councilsOfRaa(deps.db, found.raa_id),
    supportWorkers(deps.db, actor.scope.organisationIds),
    found.household_id ? householdNames(deps.db, found.household_id) : Promise.resolve([]),
  ]);
  await auditSupport(deps.db, deps, auditContext, {
    action,
    outcome: 'success',
    caseId: found.id,
    raaId: found.raa_id,
  });
  const latestSection47 = liaison.find((note) => note.kind === 'section_47');
  const completed = assessments.find((a) => a.completed_on);
  return {
    found,
    person,
    children,
    assessments,
    plans,
    liaison,
    section47Open: latestSection47?.section_47_status === 'started' ? latestSection47 : null,
    fund,
    fundApplyBy:
      completed?.completed_on && completed.outcome === 'services_to_be_provided'
        ? fundApplicationDueOn(completed.completed_on)
        : null,
    agreements: agreements.map((agreement) => ({
      ...agreement,
      nextState: agreement.next_due_on ? periodState(String(agreement.next_due_on), false, today) : null,
    })),
    records,
    councils,
    workers,
    householdPeople,
    today,
    year,
    may: {
      write: actor.permissions.has('support:write'),
      fund: mayFund,
      restricted: actor.permissions.has('support:restricted'),
    },
  };
}
