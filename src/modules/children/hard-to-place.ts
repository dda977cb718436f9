// The "hard to place" profile from the seeds' service schedule (seeds/001, schedule: family
// finding for children who wait): aged four or over; from a Black or minority ethnic heritage;
// in a sibling group of two or more; uncertainty about development; a disability or medical
// condition. There is no statutory definition (domain-detail.md §1.3), so these are derived
// tags, never one stored field, and such children need a recorded family-finding strategy and
// early referral to the RAA.
import { calendarDaysBetween, addCalendarMonths } from '../../platform/time/index.js';
import { minorityEthnicCodes, type EthnicityCode } from './child-codes.js';
import type { Needs } from './children.tables.js';

export const hardToPlaceTags = [
  'aged_four_or_over',
  'minority_ethnic_heritage',
  'sibling_group',
  'developmental_uncertainty',
  'disability_or_medical_condition',
] as const;
export type HardToPlaceTag = (typeof hardToPlaceTags)[number];

export const hardToPlaceLabels: Record<HardToPlaceTag, string> = {
  aged_four_or_over: 'Aged 4 or over',
  minority_ethnic_heritage: 'Black or minority ethnic heritage',
  sibling_group: 'Sibling group',
  developmental_uncertainty: 'Developmental uncertainty',
  disability_or_medical_condition: 'Disability or medical condition',
};

export interface HardToPlaceFacts {
  dateOfBirth: string;
  ethnicity: string;
  /** Siblings linked to this child who are to be placed with them, or whose plan is not yet decided. */
  siblingsToPlaceWith: number;
  needs: Needs;
}

/** The tags that do not change with time; stored on the child's row for the tracking board. */
export function lastingHardToPlaceTags(child: Omit<HardToPlaceFacts, 'dateOfBirth'>): HardToPlaceTag[] {
  const tags: HardToPlaceTag[] = [];
  if (minorityEthnicCodes.has(child.ethnicity as EthnicityCode)) tags.push('minority_ethnic_heritage');
  if (child.siblingsToPlaceWith >= 1) tags.push('sibling_group');
  // Uncertainty about development or emotional development (the seeds name both).
  if (child.needs.development?.uncertain || child.needs.emotional_behavioural?.uncertain) {
    tags.push('developmental_uncertainty');
  }
  if (child.needs.disability?.description || child.needs.health?.description) {
    tags.push('disability_or_medical_condition');
  }
  return tags;
}

/** The date a child born on dateOfBirth turns four (a 29 February birthday turns on 28 February). */
export function fourthBirthday(dateOfBirth: string): string {
  return addCalendarMonths(dateOfBirth, 48);
}

export function ageInYears(dateOfBirth: string, today: string): number {
  let years = Number(today.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  if (today.slice(5) < dateOfBirth.slice(5)) years -= 1;
  return Math.max(0, years);
}

/** Every tag that applies today, in the order of the seeds' list. */
export function hardToPlaceProfile(child: HardToPlaceFacts, today: string): HardToPlaceTag[] {
  const lasting = new Set(lastingHardToPlaceTags(child));
  if (calendarDaysBetween(fourthBirthday(child.dateOfBirth), today) >= 0) lasting.add('aged_four_or_over');
  return hardToPlaceTags.filter((tag) => lasting.has(tag));
}
