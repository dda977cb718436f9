// View-models for children's pages: labels in plain words, dates in UK style, never raw rows.
import { formatDate, formatDateTime } from '../../platform/views/render.js';
import {
  earlyPermanenceLabels,
  ethnicityCodes,
  legalStatusCodes,
  needAreaLabels,
  needAreas,
  sexCodes,
  siblingPlanLabels,
  type EthnicityCode,
  type LegalStatusCode,
} from './child-codes.js';
import type { ChildRecord } from './child-record.service.js';
import type { ChildWithNames, TaskWithChild } from './children.repository.js';
import { childPaths } from './children.paths.js';
import { ageInYears, hardToPlaceLabels, type HardToPlaceTag } from './hard-to-place.js';
import {
  milestoneLabels,
  planChangeReasons,
  stageLabels,
  type MilestoneKind,
  type PlanChangeReason,
  type Stage,
} from './journey.js';
import type { BoardEntry } from './tracking-board.service.js';
import { overdueLabels, type OverdueFlag } from './tracking.js';

export const fullName = (child: { first_name: string; last_name: string }): string =>
  `${child.first_name} ${child.last_name}`;

export const stageTag = (stage: string) => ({
  text: stageLabels[stage as Stage] ?? stage,
  classes:
    stage === 'adopted'
      ? 'govuk-tag--green'
      : stage === 'plan_changed'
        ? 'govuk-tag--grey'
        : stage === 'family_finding'
          ? 'govuk-tag--yellow'
          : 'govuk-tag--blue',
});

export const hardToPlaceTagViews = (tags: readonly HardToPlaceTag[]) =>
  tags.map((tag) => ({ text: hardToPlaceLabels[tag], classes: 'govuk-tag--purple' }));

export const overdueViews = (flags: readonly OverdueFlag[]) => flags.map((flag) => overdueLabels[flag]);

export function presentBoardEntry(entry: BoardEntry) {
  return {
    href: childPaths.child(entry.id),
    name: fullName(entry),
    councilChildId: entry.council_child_id,
    councilName: entry.council_name,
    spokeName: entry.spoke_name,
    dateOfBirth: formatDate(entry.date_of_birth),
    stage: stageTag(entry.current_stage),
    stageSince: entry.stage_since ? formatDate(entry.stage_since) : '',
    familyFinder: entry.family_finder_name ?? 'Not allocated',
    daysSincePlacementOrder: entry.daysSincePlacementOrder,
    hardToPlace: hardToPlaceTagViews(entry.hardToPlace),
    overdue: overdueViews(entry.overdue),
  };
}

const text = (value: string | null | undefined, empty = 'Not recorded') => ({ text: value ? value : empty });

export function presentChildSummary(child: ChildWithNames, onDate: string) {
  const rows = [
    { key: { text: "Council's child ID" }, value: text(child.council_child_id) },
    { key: { text: 'Responsible council' }, value: text(child.council_name) },
    { key: { text: 'Known as' }, value: text(child.known_as) },
    {
      key: { text: 'Date of birth' },
      value: { text: `${formatDate(child.date_of_birth)} (age ${ageInYears(child.date_of_birth, onDate)})` },
    },
    { key: { text: 'Sex' }, value: text(sexCodes[child.sex]) },
    {
      key: { text: 'Ethnicity' },
      value: text(ethnicityCodes[child.ethnicity as EthnicityCode] ?? child.ethnicity),
    },
    { key: { text: 'Languages' }, value: text(child.languages.join(', ')) },
    { key: { text: 'Religion' }, value: text(child.religion) },
    {
      key: { text: 'Legal status' },
      value: text(
        child.legal_status
          ? `${child.legal_status}: ${legalStatusCodes[child.legal_status as LegalStatusCode]}`
          : null,
      ),
    },
    {
      key: { text: "Council's social worker" },
      value: text(
        [child.council_social_worker_name, child.council_social_worker_email].filter(Boolean).join(', '),
      ),
    },
    { key: { text: 'Family finder' }, value: text(child.family_finder_name, 'Not allocated') },
    { key: { text: 'Early permanence' }, value: text(earlyPermanenceLabels[child.early_permanence]) },
  ];
  return rows;
}

export function presentNeeds(child: ChildWithNames) {
  return needAreas.map((area) => {
    const need = child.needs[area];
    return {
      key: { text: needAreaLabels[area] },
      value: {
        text: need?.description
          ? `${need.description}${need.uncertain ? ' (uncertain)' : ''}`
          : need?.uncertain
            ? 'Uncertain'
            : 'None recorded',
      },
    };
  });
}

export function describeFact(fact: {
  kind: string;
  plan_change_reason: string | null;
  disruption_timing: string | null;
}): string {
  const label = milestoneLabels[fact.kind as MilestoneKind] ?? fact.kind;
  if (fact.kind === 'plan_changed' && fact.plan_change_reason) {
    return `${label}: ${fact.plan_change_reason} ${planChangeReasons[fact.plan_change_reason as PlanChangeReason]}`;
  }
  if (fact.kind === 'disruption' && fact.disruption_timing) {
    return `${label} ${fact.disruption_timing === 'before_order' ? 'before' : 'after'} the adoption order`;
  }
  return label;
}

export function presentFacts(record: ChildRecord) {
  return record.facts.map((fact) => ({
    id: fact.id,
    what: describeFact(fact),
    date: formatDate(fact.effective_date),
    source: fact.source,
    recordedBy: fact.recorded_by_name ?? 'Imported',
    recordedAt: formatDateTime(fact.recorded_at),
    note: fact.note,
    inForce: fact.inForce,
    isCorrection: !!fact.supersedes_id,
    correctionReason: fact.correction_reason,
    correctHref: record.mayChange && fact.inForce ? childPaths.correctFact(record.child.id, fact.id) : null,
  }));
}

export function presentTask(task: TaskWithChild, onDate: string) {
  return {
    id: task.id,
    version: task.version,
    title: task.title,
    childName: task.child_first_name ? `${task.child_first_name} ${task.child_last_name}` : null,
    childHref: task.child_id ? childPaths.child(task.child_id) : null,
    councilChildId: task.child_council_child_id,
    owner: task.owner_user_name ?? `${task.owner_organisation_name} (not yet taken)`,
    organisation: task.owner_organisation_name,
    due: formatDate(task.due_date),
    overdue: task.status === 'open' && task.due_date < onDate,
    status:
      task.status === 'open'
        ? task.due_date < onDate
          ? 'Overdue'
          : 'Open'
        : task.status === 'done'
          ? 'Done'
          : 'Cancelled',
    unassigned: !task.owner_user_id,
  };
}

export function presentSiblings(record: ChildRecord) {
  return record.siblings.map((sibling) => ({
    name: sibling.name,
    href: sibling.councilChildId ? childPaths.child(sibling.childId) : null,
    detail: [sibling.councilName, sibling.councilChildId].filter(Boolean).join(', '),
    plan: sibling.plan ? siblingPlanLabels[sibling.plan] : 'Related through another sibling',
    reason: sibling.reason,
  }));
}

/** Items for a GOV.UK select or radios from a label map, with the chosen value selected. */
export function choiceItems(
  labels: Record<string, string>,
  chosen: string | null | undefined,
  blank?: string,
) {
  return [
    ...(blank !== undefined ? [{ value: '', text: blank }] : []),
    ...Object.entries(labels).map(([value, label]) => ({
      value,
      text: label,
      selected: value === chosen,
      checked: value === chosen,
    })),
  ];
}

export const ethnicityItems = (chosen?: string | null) =>
  choiceItems(
    Object.fromEntries(Object.entries(ethnicityCodes).map(([code, label]) => [code, `${label} (${code})`])),
    chosen,
    'Select ethnicity',
  );
export const legalStatusItems = (chosen?: string | null) =>
  choiceItems(
    Object.fromEntries(Object.entries(legalStatusCodes).map(([code, label]) => [code, `${code}: ${label}`])),
    chosen,
    'Not recorded',
  );
