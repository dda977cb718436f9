// The primary navigation follows the user's role: each module adds its items with the
// permission that opens them, and a user sees only the items they can use.
import type { Actor } from '../access/actor.js';
import type { Permission } from '../access/permissions.js';

export interface NavigationItem {
  text: string;
  href: string;
  /** undefined: every signed-in user. */
  permission?: Permission;
  order: number;
}

export interface NavigationLink {
  text: string;
  href: string;
  active: boolean;
}

export function navigationFor(
  items: readonly NavigationItem[],
  actor: Actor | null,
  currentPath: string,
): NavigationLink[] {
  if (!actor) return [];
  const visible = [...items]
    .filter((item) => !item.permission || actor.permissions.has(item.permission))
    .sort((a, b) => a.order - b.order);
  // Only the most specific item is current: on /adopters/funnel, "Conversion funnel", not "Adopters".
  const matches = (href: string) =>
    href === '/' ? currentPath === '/' : currentPath === href || currentPath.startsWith(`${href}/`);
  const current = visible
    .filter((item) => matches(item.href))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return visible.map((item) => ({ text: item.text, href: item.href, active: item === current }));
}
