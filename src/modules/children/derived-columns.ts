// What the tracking board reads from a child's row, derived from the journey facts and sibling
// links (bench:children). One function, so the service and the synthetic-data generator cannot
// drift apart: the board must show the same for a child however it was written.
import { lastingHardToPlaceTags } from './hard-to-place.js';
import type { Needs } from './children.tables.js';
import { journeyDates, type MilestoneFact } from './journey.js';
import { siblingGroup, siblingsToPlaceWith, type SiblingLink } from './siblings.js';

export function derivedColumns(
  child: { id: string; ethnicity: string; needs: Needs },
  facts: readonly MilestoneFact[],
  links: readonly SiblingLink[],
  today: string,
) {
  const dates = journeyDates(facts, today);
  return {
    current_stage: dates.currentStage,
    stage_since: dates.stageSince,
    entered_care_date: dates.enteredCareDate,
    should_be_placed_date: dates.shouldBePlacedDate,
    placement_order_date: dates.placementOrderDate,
    family_finder_allocated_date: dates.familyFinderAllocatedDate,
    latest_cpr_date: dates.latestCprDate,
    match_decision_date: dates.matchDecisionDate,
    placed_date: dates.placedDate,
    adoption_order_date: dates.adoptionOrderDate,
    sibling_group_size: siblingGroup(links, child.id).length,
    hard_to_place_tags: lastingHardToPlaceTags({
      ethnicity: child.ethnicity,
      needs: child.needs,
      siblingsToPlaceWith: siblingsToPlaceWith(links, child.id),
    }),
  };
}
