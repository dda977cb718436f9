// bench/children: the tracking board with 30,000 synthetic children across 150 councils, on
// PGlite and on PostgreSQL (issue 4, benchmark). Goal: p95 server time per page ≤ 150 ms, shown
// beside a plain `select count(*) from children` over the same table in the same run.
//
// For each database: a fresh one, migrated; `seedSyntheticChildren` (what `kindred seed-synthetic`
// runs) adds the children; a team manager of the RAA, who sees every council, signs in over real
// HTTP (password and TOTP); then the board is requested with each filter in turn, one request at
// a time. Server time is read from the response's Server-Timing header: Kindred's own if it sends
// one, otherwise the one this bench adds with an onRequest → onSend hook in the server (routing,
// session, queries, audit entry and rendering; not the network). The client round trip is shown
// too. PostgreSQL runs when DATABASE_URL or TEST_DATABASE_URL is set; the bench creates and drops
// its own database on that server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../src/platform/app.js';
import { auditKeyFrom } from '../src/platform/audit/audit.js';
import { loadConfig } from '../src/platform/config.js';
import { openDatabase, type Database } from '../src/platform/db/client.js';
import { migrate } from '../src/platform/db/migrate.js';
import { hashPassword } from '../src/modules/identity/passwords.js';
import { secretBox } from '../src/modules/identity/secret-box.js';
import { newTotpSecret } from '../src/modules/identity/two-factor.js';
import { seedSyntheticChildren } from '../src/modules/children/synthetic-children.js';
import { cookieHeader, signInOverHttp } from './support/http-session.js';
import { onBenchPostgres, postgresSkipped } from './support/postgres.js';

const childCount = Number(process.env.BENCH_CHILDREN ?? 30_000);
const councilCount = Number(process.env.BENCH_COUNCILS ?? 150);
const rounds = Number(process.env.BENCH_ROUNDS ?? 30);
const baselineRuns = Number(process.env.BENCH_BASELINE_RUNS ?? 100);
const goalMs = 150;

const config = loadConfig(
  { KINDRED_ENV: 'test', LOG_LEVEL: 'silent', KINDRED_SECRET: 'bench-secret-that-is-long-enough-0123456789' },
  { signInAttemptsPerMinute: 1_000_000 },
);
const password = 'benchmark password 2026';

interface Stats {
  p50: number;
  p95: number;
  p99: number;
  n: number;
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { p50: at(50), p95: at(95), p99: at(99), n: values.length };
}

interface Result {
  label: string;
  seedSeconds: number;
  facts: number;
  baseline: Stats;
  server: Stats;
  client: Stats;
  timingSource: string;
  perPage: Array<{ url: string; matched: string; server: Stats }>;
}

/** A team manager at the RAA itself: their scope is every spoke, team and council of the region. */
async function createRaaManager(database: Database): Promise<{ email: string; secret: string }> {
  const raa = await database.db
    .selectFrom('organisations')
    .select('id')
    .where('kind', '=', 'raa')
    .executeTakeFirstOrThrow();
  const secret = newTotpSecret();
  const email = 'bench.manager@synthetic.kindred.invalid';
  const user = await database.db
    .insertInto('users')
    .values({
      organisation_id: raa.id,
      email,
      name: 'Bench Manager (synthetic)',
      password_hash: await hashPassword(password),
      totp_secret_encrypted: secretBox(config.secret, 'totp-v1').seal(secret),
      totp_enrolled_at: new Date(),
      status: 'active',
      throttled_until: null,
      last_sign_in_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('user_roles')
    .values({ user_id: user.id, role: 'team_manager', granted_by: null })
    .execute();
  return { email, secret };
}

/** Milliseconds from a Server-Timing header: Kindred's `total` if it names one, else the largest duration. */
function serverTiming(header: string | null): { ms: number; own: boolean } | undefined {
  if (!header) return undefined;
  const metrics = header.split(',').map((part) => {
    const [name = '', ...params] = part.trim().split(';');
    const dur = params.map((p) => /^\s*dur=([\d.]+)/.exec(p)?.[1]).find(Boolean);
    return { name: name.trim(), dur: dur === undefined ? undefined : Number(dur) };
  });
  const timed = metrics.filter((m): m is { name: string; dur: number } => m.dur !== undefined);
  if (timed.length === 0) return undefined;
  const chosen = timed.find((m) => m.name === 'total') ?? timed.reduce((a, b) => (b.dur > a.dur ? b : a));
  return { ms: chosen.dur, own: !timed.every((m) => m.name === 'bench') };
}

async function benchDatabase(label: string, database: Database): Promise<Result> {
  await migrate(database.db);
  const seedStarted = performance.now();
  const seeded = await seedSyntheticChildren(database.db, {
    children: childCount,
    councils: councilCount,
    auditKey: auditKeyFrom(config.secret),
    onProgress: (written, total) => {
      if (written === total || written % 10_000 === 0)
        process.stderr.write(`  ${label}: ${written} / ${total} children written\n`);
    },
  });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  await sql`analyze`.execute(database.db);
  const manager = await createRaaManager(database);
  const council = await database.db
    .selectFrom('organisations')
    .select('id')
    .where('kind', '=', 'local_authority')
    .orderBy('code')
    .offset(Math.floor(councilCount / 2))
    .executeTakeFirstOrThrow();

  const app = await buildApp({ config, database });
  // Server time, when Kindred does not report it itself: from routing to the response being sent.
  const started = new WeakMap<FastifyRequest, number>();
  app.addHook('onRequest', async (request) => {
    started.set(request, performance.now());
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const from = started.get(request);
    if (from !== undefined && !reply.hasHeader('server-timing')) {
      reply.header('server-timing', `bench;dur=${(performance.now() - from).toFixed(2)}`);
    }
    return payload;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  try {
    const jar = await signInOverHttp(base, { ...manager, password });
    const urls = [
      '/children',
      '/children?page=5',
      `/children?council=${council.id}`,
      '/children?stage=family_finding',
      '/children?overdue=any',
      '/children?tag=sibling_group',
      '/children?q=Syn',
      '/children?waiting=182',
    ];
    const matched = new Map<string, string>();
    const server = new Map<string, number[]>(urls.map((url) => [url, []]));
    const client: number[] = [];
    let ownTiming = false;
    // One round to warm up (templates compiled, plans cached), then the measured rounds.
    for (let round = 0; round <= rounds; round += 1) {
      for (const url of urls) {
        const t0 = performance.now();
        const response = await fetch(`${base}${url}`, { headers: { cookie: cookieHeader(jar) } });
        const body = await response.text();
        const elapsed = performance.now() - t0;
        if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
        if (round === 0) {
          matched.set(url, /<caption[^>]*>\s*([\d,]+) child/.exec(body)?.[1] ?? '?');
          continue;
        }
        const timing = serverTiming(response.headers.get('server-timing'));
        if (!timing) throw new Error(`GET ${url}: no Server-Timing header`);
        ownTiming ||= timing.own;
        server.get(url)!.push(timing.ms);
        client.push(elapsed);
      }
    }

    // The baseline: a plain count over the same table, through the same connection, same run.
    const baseline: number[] = [];
    for (let i = 0; i < baselineRuns; i += 1) {
      const t0 = performance.now();
      await sql`select count(*) from children`.execute(database.db);
      baseline.push(performance.now() - t0);
    }
    return {
      label,
      seedSeconds,
      facts: seeded.facts,
      baseline: stats(baseline),
      server: stats([...server.values()].flat()),
      client: stats(client),
      timingSource: ownTiming
        ? "Kindred's Server-Timing header"
        : 'Server-Timing added by this bench (onRequest → onSend hook in the server)',
      perPage: urls.map((url) => ({
        url,
        matched: matched.get(url) ?? '?',
        server: stats(server.get(url)!),
      })),
    };
  } finally {
    await app.close();
  }
}

const results: Result[] = [];
let skipped: string | undefined;

// PGlite, in a data directory as `npm start` uses it.
{
  const root = mkdtempSync(path.join(tmpdir(), 'kindred-bench-children-'));
  const database = await openDatabase({ dataDir: path.join(root, 'data') });
  try {
    results.push(await benchDatabase('PGlite', database));
  } finally {
    await database.close();
    rmSync(root, { recursive: true, force: true });
  }
}

const onPostgres = await onBenchPostgres((database, label) => benchDatabase(label, database));
if (onPostgres) results.push(onPostgres);
else skipped = postgresSkipped;

const ms = (n: number) => `${n.toFixed(1)} ms`;
const line = (s: Stats) => `p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}`;
const verdict = (s: Stats) => `goal p95 ≤ ${goalMs} ms: ${s.p95 <= goalMs ? 'met' : 'NOT met'}`;
console.log(
  `${childCount.toLocaleString('en-GB')} synthetic children across ${councilCount} councils; ${rounds} rounds of ${results[0]?.perPage.length ?? 0} board pages, one request at a time, after one warm-up round`,
);
for (const result of results) {
  console.log('');
  console.log(
    `${result.label}: seeded in ${result.seedSeconds.toFixed(1)} s (${result.facts.toLocaleString('en-GB')} journey facts)`,
  );
  console.log(
    `  baseline — select count(*) from children:  ${line(result.baseline)}  (${result.baseline.n} queries)`,
  );
  console.log(
    `  tracking board, server time:               ${line(result.server)}  (${result.server.n} requests)  ${(result.server.p95 / Math.max(result.baseline.p95, 0.001)).toFixed(1)}× the count at p95  ${verdict(result.server)}`,
  );
  console.log(`  tracking board, client round trip:         ${line(result.client)}`);
  console.log(`  server time from: ${result.timingSource}`);
  const width = Math.max(...result.perPage.map((page) => page.url.length));
  for (const page of result.perPage) {
    console.log(`    ${page.url.padEnd(width)}  ${page.matched.padStart(6)} children  ${line(page.server)}`);
  }
}
if (skipped) console.log(`\n${skipped}.`);
const p95Of = (prefix: string) => results.find((r) => r.label.startsWith(prefix))?.server.p95;
const summaryPart = (name: string, p95: number | undefined) =>
  p95 === undefined ? `${name} skipped` : `${name} p95 ${p95.toFixed(0)} ms`;
const met = results.every((r) => r.server.p95 <= goalMs);
console.log(
  `children: ${summaryPart('PGlite', p95Of('PGlite'))}, ${summaryPart('PostgreSQL', p95Of('PostgreSQL'))} (baseline count p95 ${results.map((r) => ms(r.baseline.p95)).join(' / ')}) — goal ${met ? 'met' : 'NOT met'}`,
);
