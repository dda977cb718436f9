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
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { buildApp } from '../src/platform/app.js';
import { auditKeyFrom } from '../src/platform/audit/audit.js';
import type { Database } from '../src/platform/db/client.js';
import { migrate } from '../src/platform/db/migrate.js';
import { seedSyntheticChildren } from '../src/modules/children/synthetic-children.js';
import { cookieHeader, signInOverHttp } from './support/http-session.js';
import {
  addBenchServerTiming,
  benchConfig,
  benchPassword as password,
  benchTimingSource,
  createBenchUser,
  line,
  listenForBench,
  onBothDatabases,
  pagesSummary,
  serverTiming,
  stats,
  timedRuns,
  type Stats,
} from './support/measure.js';

const childCount = Number(process.env.BENCH_CHILDREN ?? 30_000);
const councilCount = Number(process.env.BENCH_COUNCILS ?? 150);
const rounds = Number(process.env.BENCH_ROUNDS ?? 30);
const baselineRuns = Number(process.env.BENCH_BASELINE_RUNS ?? 100);
const goalMs = 150;

const config = benchConfig();

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
  return createBenchUser(database, config, {
    organisationId: raa.id,
    email: 'bench.manager@synthetic.kindred.invalid',
    name: 'Bench Manager (synthetic)',
    roles: ['team_manager'],
  });
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
  addBenchServerTiming(app);
  const base = await listenForBench(app);
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
    const baseline = await timedRuns(baselineRuns, () =>
      sql`select count(*) from children`.execute(database.db),
    );
    return {
      label,
      seedSeconds,
      facts: seeded.facts,
      baseline: stats(baseline),
      server: stats([...server.values()].flat()),
      client: stats(client),
      timingSource: ownTiming ? "Kindred's Server-Timing header" : benchTimingSource,
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

const { results, skipped } = await onBothDatabases('children', benchDatabase);

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
console.log(pagesSummary('children', results, goalMs));
