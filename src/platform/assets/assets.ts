// Static assets with fingerprinted, long-cache URLs: /assets/<content hash>/<name>.
// GOV.UK and MoJ Frontend files are read from node_modules at startup; our stylesheet and
// scripts from ./public. References between assets (fonts in CSS, imports in scripts) are
// rewritten to fingerprinted URLs so that every URL the browser sees can be cached forever.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

export interface Asset {
  body: Buffer;
  contentType: string;
  url: string;
}

export interface AssetManifest {
  /** The fingerprinted URL of a logical asset name such as "images/favicon.ico". */
  url(name: string): string;
  /** The asset for a fingerprinted URL path (after /assets/), if it exists. */
  lookup(hashAndName: string): Asset | undefined;
}

const contentTypes: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

function walk(dir: string, prefix = ''): Array<{ name: string; file: string }> {
  return readdirSync(dir).flatMap((entry) => {
    const file = path.join(dir, entry);
    const name = prefix ? `${prefix}/${entry}` : entry;
    return statSync(file).isDirectory() ? walk(file, name) : [{ name, file }];
  });
}

function hashOf(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 12);
}

export function buildAssetManifest(): AssetManifest {
  const govukDist = path.dirname(require.resolve('govuk-frontend/package.json'));
  const mojDist = path.dirname(require.resolve('@ministryofjustice/frontend/package.json'));
  const ownPublic = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');

  const sources: Array<{ name: string; file: string }> = [
    ...walk(path.join(mojDist, 'moj/assets')),
    ...walk(path.join(govukDist, 'dist/govuk/assets')),
    { name: 'govuk-frontend.min.js', file: path.join(govukDist, 'dist/govuk/govuk-frontend.min.js') },
    { name: 'moj-frontend.min.js', file: path.join(mojDist, 'moj/moj-frontend.min.js') },
    { name: 'govuk-frontend.min.css', file: path.join(govukDist, 'dist/govuk/govuk-frontend.min.css') },
    { name: 'moj-frontend.min.css', file: path.join(mojDist, 'moj/moj-frontend.min.css') },
    ...walk(ownPublic),
  ];

  const byName = new Map<string, Asset>();
  const byUrl = new Map<string, Asset>();
  const add = (name: string, body: Buffer): void => {
    const url = `/assets/${hashOf(body)}/${name}`;
    const asset = { body, url, contentType: contentTypes[path.extname(name)] ?? 'application/octet-stream' };
    byName.set(name, asset);
    byUrl.set(url.slice('/assets/'.length), asset);
  };

  // Files that refer to other assets are fingerprinted after what they refer to.
  const refersToAssets = (name: string): boolean =>
    name.endsWith('.css') || (name.endsWith('.js') && !name.includes('.min.'));
  for (const source of sources.filter((s) => !refersToAssets(s.name) && !s.name.endsWith('.map'))) {
    add(source.name, readFileSync(source.file));
  }
  for (const source of sources.filter((s) => refersToAssets(s.name))) {
    const text = readFileSync(source.file, 'utf8').replace(
      /\/assets\/([A-Za-z0-9._/-]+\.[a-z0-9]+)/g,
      (whole, name: string) => {
        return byName.get(name)?.url ?? whole;
      },
    );
    add(source.name, Buffer.from(text));
  }

  return {
    url(name) {
      const asset = byName.get(name);
      if (!asset) throw new Error(`Unknown asset ${name}`);
      return asset.url;
    },
    lookup(hashAndName) {
      return byUrl.get(hashAndName);
    },
  };
}
