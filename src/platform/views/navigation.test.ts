import { describe, expect, it } from 'vitest';
import type { Actor } from '../access/actor.js';
import { navigationFor, type NavigationItem } from './navigation.js';

const actor = { permissions: new Set(['children:read']) } as unknown as Actor;
const items: NavigationItem[] = [
  { text: 'Home', href: '/', order: 0 },
  { text: 'Adopters', href: '/adopters', order: 20 },
  { text: 'Conversion funnel', href: '/adopters/funnel', order: 21 },
  { text: 'Children', href: '/children', permission: 'children:read', order: 10 },
  { text: 'Users', href: '/admin/users', permission: 'users:manage', order: 90 },
];

describe('primary navigation', () => {
  it('shows the items the actor may use, in order', () => {
    expect(navigationFor(items, actor, '/').map((link) => link.text)).toEqual([
      'Home',
      'Children',
      'Adopters',
      'Conversion funnel',
    ]);
  });

  it.each([
    ['/', 'Home'],
    ['/children/123', 'Children'],
    ['/adopters', 'Adopters'],
    ['/adopters/funnel', 'Conversion funnel'],
    ['/adopters-elsewhere', undefined],
  ])('marks only the most specific item current on %s', (path, expected) => {
    const current = navigationFor(items, actor, path).filter((link) => link.active);
    expect(current.map((link) => link.text)).toEqual(expected ? [expected] : []);
  });

  it('shows nothing to someone not signed in', () => {
    expect(navigationFor(items, null, '/')).toEqual([]);
  });
});
