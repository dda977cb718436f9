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
  return [...items]
    .filter((item) => !item.permission || actor.permissions.has(item.permission))
    .sort((a, b) => a.order - b.order)
    .map((item) => ({
      text: item.text,
      href: item.href,
      active:
        item.href === '/'
          ? currentPath === '/'
          : currentPath === item.href || currentPath.startsWith(`${item.href}/`),
    }));
}
