// Sibling links form a tree within each group: no self links, no duplicates, no cycles (issue 4).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refuseSiblingLink, siblingGroup, siblingsToPlaceWith, type SiblingLink } from './siblings.js';

const names = (id: string) => id.toUpperCase();
const link = (a: string, b: string, plan: SiblingLink['plan'] = 'together'): SiblingLink => ({
  childAId: a,
  childBId: b,
  plan,
});

describe('sibling links', () => {
  it('refuses a link to self, a second link between the same pair and a link closing a cycle', () => {
    const links = [link('a', 'b'), link('b', 'c', 'apart')];
    expect(refuseSiblingLink(links, { childId: 'a', siblingId: 'a' }, names)).toBe(
      'A child cannot be linked as their own sibling',
    );
    expect(refuseSiblingLink(links, { childId: 'b', siblingId: 'a' }, names)).toBe(
      'B and A are already linked as siblings',
    );
    expect(refuseSiblingLink(links, { childId: 'c', siblingId: 'a' }, names)).toBe(
      'C and A are already in the same sibling group through other links; record the plan on those links instead',
    );
    expect(refuseSiblingLink(links, { childId: 'c', siblingId: 'd' }, names)).toBeNull();
  });

  it('finds the whole group and counts only siblings not to be placed apart', () => {
    const links = [link('a', 'b'), link('b', 'c', 'apart'), link('x', 'y')];
    expect(siblingGroup(links, 'a').sort()).toEqual(['a', 'b', 'c']);
    expect(siblingsToPlaceWith(links, 'b')).toBe(1);
    expect(siblingsToPlaceWith(links, 'c')).toBe(0);
  });

  it('property: links accepted one by one never form a cycle (edges = members − 1 in every group)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 })), { maxLength: 40 }),
        (pairs) => {
          const accepted: SiblingLink[] = [];
          for (const [a, b] of pairs) {
            const proposed = { childId: `c${a}`, siblingId: `c${b}` };
            if (refuseSiblingLink(accepted, proposed, names) === null)
              accepted.push(link(proposed.childId, proposed.siblingId));
          }
          const seen = new Set<string>();
          for (const start of accepted.flatMap((l) => [l.childAId, l.childBId])) {
            if (seen.has(start)) continue;
            const group = siblingGroup(accepted, start);
            group.forEach((id) => seen.add(id));
            const edges = accepted.filter((l) => group.includes(l.childAId)).length;
            expect(edges).toBe(group.length - 1);
          }
        },
      ),
    );
  });
});
