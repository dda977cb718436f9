// Sibling links (issue 4 §1). Siblings are linked in pairs, each with the plan to place them
// together or apart and its reason. A sibling group is every child reachable through links.
// Links must form a tree within a group: a link between two children who are already in the same
// group would close a cycle, and a cycle lets the plans contradict one another (A with B
// together, B with C together, A with C apart), so it is refused; the plan for a pair not linked
// directly follows from the links between them.
import type { SiblingPlacementPlan } from './children.tables.js';

export interface SiblingLink {
  childAId: string;
  childBId: string;
  plan: SiblingPlacementPlan;
}

/** The children in the same sibling group as childId, itself included, in the order reached. */
export function siblingGroup(links: readonly SiblingLink[], childId: string): string[] {
  const seen = new Set([childId]);
  const queue = [childId];
  while (queue.length) {
    const current = queue.shift()!;
    for (const link of links) {
      const other =
        link.childAId === current ? link.childBId : link.childBId === current ? link.childAId : null;
      if (other && !seen.has(other)) {
        seen.add(other);
        queue.push(other);
      }
    }
  }
  return [...seen];
}

/** Why this link cannot be made, as a sentence; null if it can. `names` gives the children's names. */
export function refuseSiblingLink(
  links: readonly SiblingLink[],
  proposed: { childId: string; siblingId: string },
  names: (id: string) => string,
): string | null {
  const { childId, siblingId } = proposed;
  if (childId === siblingId) return 'A child cannot be linked as their own sibling';
  const direct = links.some(
    (link) =>
      (link.childAId === childId && link.childBId === siblingId) ||
      (link.childAId === siblingId && link.childBId === childId),
  );
  if (direct) return `${names(childId)} and ${names(siblingId)} are already linked as siblings`;
  if (siblingGroup(links, childId).includes(siblingId)) {
    return `${names(childId)} and ${names(siblingId)} are already in the same sibling group through other links; record the plan on those links instead`;
  }
  return null;
}

/** The pair in the order the database stores it (child_a_id < child_b_id). */
export function orderedPair(first: string, second: string): { childAId: string; childBId: string } {
  return first < second ? { childAId: first, childBId: second } : { childAId: second, childBId: first };
}

/** Siblings linked to this child whose plan is to be placed with them, or not yet decided. */
export function siblingsToPlaceWith(links: readonly SiblingLink[], childId: string): number {
  return links.filter(
    (link) => (link.childAId === childId || link.childBId === childId) && link.plan !== 'apart',
  ).length;
}
