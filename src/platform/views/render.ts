// Nunjucks, configured once: our layout and each module's views, GOV.UK and MoJ macros,
// autoescaping on (security.md IO-4), and the helpers every page uses.
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import type { AssetManifest } from '../assets/assets.js';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export const viewSearchPaths = [
  here,
  path.resolve(here, '../../modules'),
  path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist'),
  path.dirname(require.resolve('@ministryofjustice/frontend/package.json')),
];

const longDate = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});
const dateTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  // h12, not hour12: the latter renders half past midnight as "0:30am".
  hourCycle: 'h12',
  timeZone: 'Europe/London',
});

/** "22 November 2026" from an ISO date string or a Date. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  const date = typeof value === 'string' ? new Date(`${value.slice(0, 10)}T12:00:00Z`) : value;
  return Number.isNaN(date.getTime()) ? '' : longDate.format(date);
}

/** "22 November 2026 at 6:05pm" in UK time. */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return '';
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return '';
  return dateTime.format(date).replace(', ', ' at ').replace(' am', 'am').replace(' pm', 'pm');
}

export function createViewEnvironment(
  assets: AssetManifest,
  options: { watch?: boolean } = {},
): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader(viewSearchPaths, { watch: options.watch ?? false, noCache: false }),
    {
      autoescape: true,
      throwOnUndefined: false,
      trimBlocks: true,
      lstripBlocks: true,
    },
  );
  env.addGlobal('asset', (name: string) => assets.url(name));
  env.addFilter('govukDate', formatDate);
  env.addFilter('govukDateTime', formatDateTime);
  return env;
}
