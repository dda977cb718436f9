// bench/ssda903: a national-sized synthetic SSDA903 return and the Adoption Scorecard over 150
// councils (issue 9, benchmark).
//
// The return: by default 80,000 children and about 300,000 episodes from the generator, with
// coherent adoption journeys (BENCH_SSDA903_CHILDREN sets the size, small for a check). Goals:
// import (which validates first, then writes) ≤ 60 s on PGlite and ≤ 30 s on PostgreSQL, each
// printed beside the time just to read the same files in the same run; then the same return
// imported again, which must change nothing.
//
// The scorecard for 150 councils, goal ≤ 2 s (issue 9 §3), two ways:
// (a) the pure functions (`scorecardByGroup` over `groupsFromTree`), over the return's journeys
//     (`journeysFromReturn`) spread across 150 LA codes — what `kindred ssda903 scorecard` runs
//     over 150 councils' folders — beside the time to read the files;
// (b) from the database: `scorecardFor` for the RAA's head of service over a synthetic region of
//     150 councils (`syntheticRegion`, as `kindred seed-synthetic` makes it), holding the imported
//     children spread evenly across its councils and BENCH_SSDA903_HOUSEHOLDS synthetic
//     households, beside a `select count(*) from children` and a plain read of the children's
//     milestone columns in the same run. Then the quarterly report page to one council (eight
//     quarter ends, so eight scorecards) over real HTTP after signing in with password and TOTP;
//     server time is Fastify's reply.elapsedTime read in an onSend hook (session, queries, audit
//     entry and rendering, not the network).
//
// PostgreSQL runs when DATABASE_URL or TEST_DATABASE_URL is set; the bench creates and drops its
// own database there. Peak memory printed (maxRSS, and the largest heap seen), and the load
// average, since the machine may be shared.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Actor } from '../src/platform/access/actor.js';
import { permissionsFor } from '../src/platform/access/permissions.js';
import { buildApp } from '../src/platform/app.js';
import { auditKeyFrom } from '../src/platform/audit/audit.js';
import type { Database } from '../src/platform/db/client.js';
import { migrate } from '../src/platform/db/migrate.js';
import { todayInLondon } from '../src/platform/time/index.js';
import { seedSyntheticHouseholds } from '../src/modules/adopters/synthetic-households.js';
import { organisationScopeFor } from '../src/modules/organisations/organisations.service.js';
import { loadRegion } from '../src/modules/organisations/region-loader.service.js';
import { syntheticRegion } from '../src/modules/organisations/synthetic-region.js';
import {
  childFigures,
  cliScorecard,
  groupsFromTree,
  scorecardByGroup,
  scorecardChildFromReturn,
  type GroupFigures,
  type OrganisationNode,
} from '../src/modules/reports/scorecard.js';
import { scorecardFor } from '../src/modules/reports/scorecard.service.js';
import { generateReturn } from '../src/modules/ssda903/generator.js';
import { importReturn } from '../src/modules/ssda903/import.service.js';
import { journeysFromReturn } from '../src/modules/ssda903/journeys.js';
import { readReturn } from '../src/modules/ssda903/read-return.js';
import { validateReturn } from '../src/modules/ssda903/validate.js';
import { cookieHeader, signInOverHttp } from './support/http-session.js';
import {
  addBenchServerTiming,
  benchConfig,
  benchPassword as password,
  benchSecret as secret,
  createBenchUser,
  listenForBench,
  onBenchPglite,
  serverMs,
  stats,
  type Stats,
} from './support/measure.js';
import { onBenchPostgres, postgresSkipped } from './support/postgres.js';

const childCount = Number(process.env.BENCH_SSDA903_CHILDREN ?? 80_000);
const councilCount = Number(process.env.BENCH_SSDA903_COUNCILS ?? 150);
const householdCount = Number(process.env.BENCH_SSDA903_HOUSEHOLDS ?? 5_000);
const scorecardRuns = Number(process.env.BENCH_SCORECARD_RUNS ?? 10);
const reportRounds = Number(process.env.BENCH_REPORT_ROUNDS ?? 10);
const baselineRuns = Number(process.env.BENCH_BASELINE_RUNS ?? 20);
const goals = { PGlite: 60, PostgreSQL: 30 } as const;
const scorecardGoal = 2;
/** Not an issue goal: a page taking longer than this is reported as slow, with the reason. */
const reportGoalMs = 1000;
const auditKey = auditKeyFrom(secret);
const now = new Date('2026-11-02T10:00:00Z');
const today = todayInLondon(now);
/** The 2025-26 return's collection year ends on the 31 March DfE's latest window ends on. */
const windowEnd = '2026-03-31';
/** Its Q4 (January to March 2026): the quarterly report shows the eight quarters to 31 March 2026. */
const reportQuarter = '2025-Q4';
const config = benchConfig();

let peakHeap = 0;
const sampler = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 50);
const seconds = async <T>(work: () => Promise<T> | T): Promise<{ value: T; s: number }> => {
  const t0 = performance.now();
  const value = await work();
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  return { value, s: (performance.now() - t0) / 1000 };
};
const load = () => loadavg()[0]!.toFixed(2);

/** Milliseconds of each run, after one run to warm up (plans cached, code compiled). */
async function timeRuns(runs: number, work: () => Promise<unknown> | unknown): Promise<Stats> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  return stats(times);
}

const root = mkdtempSync(path.join(tmpdir(), 'kindred-bench-ssda903-'));
const dir = path.join(root, 'return');
const generated = await seconds(() => generateReturn(dir, { children: childCount }));
const parsed = await seconds(() => readReturn(dir));
if (parsed.value.problems.length) throw new Error(JSON.stringify(parsed.value.problems));
const validated = await seconds(() => validateReturn(parsed.value, { today: now }));

// ── (a) The scorecard's pure functions over 150 councils' journeys ───────────────────────────────
const region = syntheticRegion(councilCount);
const laCodes = region.region.spokes.flatMap((spoke) => spoke.localAuthorities.map((la) => la.laCode));
const journeys = await seconds(() => journeysFromReturn(parsed.value));
// Children dealt to the councils in turn, as if each council's folder held its share.
const returnChildren = journeys.value.map((journey, i) =>
  scorecardChildFromReturn(journey, laCodes[i % laCodes.length]!),
);
// The region's tree with LA codes as ids, as the command keys councils.
const tree: OrganisationNode[] = [
  { id: 'hub', name: 'Synthetic hub', kind: 'hub', parentId: null },
  { id: 'raa', name: 'Synthetic RAA', kind: 'raa', parentId: 'hub' },
  ...region.region.spokes.flatMap((spoke) => [
    { id: spoke.code, name: spoke.name, kind: 'spoke', parentId: 'raa' },
    ...spoke.localAuthorities.map((la) => ({
      id: la.laCode,
      name: la.name,
      kind: 'local_authority',
      parentId: spoke.code,
    })),
  ]),
];
let pureResult: GroupFigures[] = [];
const pureByGroup = await timeRuns(5, () => {
  pureResult = scorecardByGroup(returnChildren, [], groupsFromTree(tree, laCodes), windowEnd);
});
// What `kindred ssda903 scorecard DIR --json` works out once the folders are read: each council, then all.
let cliAll: ReturnType<typeof cliScorecard> | undefined;
const pureCli = await timeRuns(5, () => {
  const byCouncil = new Map<string, typeof returnChildren>();
  for (const child of returnChildren) {
    const bucket = byCouncil.get(child.councilId);
    if (bucket) bucket.push(child);
    else byCouncil.set(child.councilId, [child]);
  }
  const result: Record<string, ReturnType<typeof cliScorecard>> = {};
  for (const [code, members] of byCouncil) result[code] = cliScorecard(childFigures(members, windowEnd));
  result.all = cliAll = cliScorecard(childFigures(returnChildren, windowEnd));
  return result;
});
const pureAll = pureResult.find((group) => group.group.level === 'raa')?.figures;

// ── The databases ────────────────────────────────────────────────────────────────────────────────
interface Result {
  label: keyof typeof goals;
  where: string;
  load: { import: string; scorecard: string };
  first: number;
  second: number;
  created: number;
  facts: number;
  notAdoption: number;
  changedSecondTime: number;
  auditEntries: number;
  households: number;
  countBaseline: Stats;
  readBaseline: Stats;
  readRows: number;
  scorecard: Stats;
  raaFigures: { adoptions: number; A1: number | null; A2: number | null; A11: number; A13: number };
  groups: number;
  report: Stats;
  reportClient: Stats;
}

async function signInHeadOfService(database: Database, raa: { id: string }) {
  return createBenchUser(database, config, {
    organisationId: raa.id,
    email: 'bench.head@synthetic.kindred.invalid',
    name: 'Bench Head of Service (synthetic)',
    roles: ['head_of_service'],
    enrolledAt: now,
  });
}

async function benchDatabase(label: keyof typeof goals, where: string, database: Database): Promise<Result> {
  const db = database.db;
  await migrate(db);
  const context = { actor: null, ip: null, userAgent: 'bench/ssda903', correlationId: null, now };
  await loadRegion(db, region, { auditKey, auditContext: context });
  const councils = await db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('kind', '=', 'local_authority')
    .orderBy('code')
    .execute();
  const raa = await db
    .selectFrom('organisations')
    .select(['id', 'code', 'name'])
    .where('kind', '=', 'raa')
    .executeTakeFirstOrThrow();
  const loadAtImport = load();
  const run = () =>
    importReturn({ db, auditKey }, { kind: 'system' }, context, {
      councilId: councils[0]!.id,
      current: parsed.value,
      validOnly: true,
    });
  const first = await seconds(run);
  const auditBefore = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const second = await seconds(run);
  const auditAfter = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();

  // The national return, dealt out to the region's councils in turn: each council's children
  // as if it had imported its own return (CHILD ids stay unique within each council).
  await sql`
    update children set responsible_council_id = dealt.council_id
    from (
      select c.id, m.council_id
      from (select id, (row_number() over (order by council_child_id) - 1) % ${councils.length} as k from children) c
      join (values ${sql.join(councils.map((council, k) => sql`(${k}::bigint, ${council.id}::uuid)`))}) as m (k, council_id)
        on m.k = c.k
    ) dealt
    where dealt.id = children.id
  `.execute(db);
  const seeded = await seedSyntheticHouseholds(db, {
    raaId: raa.id,
    councilIds: councils.map((council) => council.id),
    households: householdCount,
    enquiries: 0,
    from: '2021-04-01',
    today,
  });
  await sql`analyze`.execute(db);

  // ── (b) scorecardFor, as the scorecard page calls it, for the RAA's head of service ──
  const user = await signInHeadOfService(database, raa);
  const actor: Actor = {
    userId: user.userId,
    sessionId: 'bench',
    name: 'Bench Head of Service (synthetic)',
    email: user.email,
    organisation: { id: raa.id, code: raa.code, name: raa.name, kind: 'raa' },
    roles: ['head_of_service'],
    permissions: permissionsFor(['head_of_service']),
    scope: await organisationScopeFor(db, raa.id),
    secondFactorSkipped: false,
  };
  const loadAtScorecard = load();
  const countBaseline = await timeRuns(baselineRuns, () => sql`select count(*) from children`.execute(db));
  let readRows = 0;
  const readBaseline = await timeRuns(baselineRuns, async () => {
    const { rows } = await sql`
      select id, responsible_council_id, entered_care_date, should_be_placed_date, placement_order_date,
        match_decision_date, placed_date, adoption_order_date
      from children`.execute(db);
    readRows = rows.length;
  });
  let report: Awaited<ReturnType<typeof scorecardFor>> | undefined;
  const scorecard = await timeRuns(scorecardRuns, async () => {
    report = await scorecardFor({ db, auditKey }, actor, { windowEnd });
  });
  const raaGroup = report?.groups.find((group) => group.group.level === 'raa');
  if (!raaGroup) throw new Error('scorecardFor gave no RAA figure');

  // ── The quarterly report page to one council, over HTTP ──
  const app = await buildApp({ config, database });
  addBenchServerTiming(app, 'elapsedTime');
  const base = await listenForBench(app);
  const server: number[] = [];
  const client: number[] = [];
  try {
    const jar = await signInOverHttp(base, { email: user.email, password, secret: user.secret });
    const council = councils[Math.floor(councils.length / 2)]!;
    const url = `${base}/reports/councils/${council.id}/quarterly?quarter=${reportQuarter}`;
    for (let round = 0; round <= reportRounds; round += 1) {
      const t0 = performance.now();
      const response = await fetch(url, { headers: { cookie: cookieHeader(jar) } });
      const body = await response.text();
      const elapsed = performance.now() - t0;
      if (response.status !== 200) throw new Error(`GET quarterly report: ${response.status}`);
      if (round === 0) {
        if (!body.includes(council.name)) throw new Error('the quarterly report does not name its council');
        continue;
      }
      server.push(serverMs(response, 'GET quarterly report'));
      client.push(elapsed);
    }
  } finally {
    await app.close();
  }

  const f = raaGroup.figures;
  return {
    label,
    where,
    load: { import: loadAtImport, scorecard: loadAtScorecard },
    first: first.s,
    second: second.s,
    created: first.value.created.length,
    facts: first.value.factsAdded,
    notAdoption: first.value.notOnAdoptionJourney,
    changedSecondTime: second.value.created.length + second.value.updated.length + second.value.factsAdded,
    // One summary entry per import is expected; anything more the second time is a change.
    auditEntries: Number(auditAfter.n) - Number(auditBefore.n),
    households: seeded.households,
    countBaseline,
    readBaseline,
    readRows,
    scorecard,
    raaFigures: {
      adoptions: f.adoptions.value,
      A1: f.A1.value,
      A2: f.A2.value,
      A11: f.A11.value,
      A13: f.A13.value,
    },
    groups: report?.groups.length ?? 0,
    report: stats(server),
    reportClient: stats(client),
  };
}

const results: Result[] = [];
let skipped: string | undefined;
results.push(
  await onBenchPglite('ssda903', (database) => benchDatabase('PGlite', 'PGlite (data directory)', database)),
);
const onPostgres = await onBenchPostgres((database, label) => benchDatabase('PostgreSQL', label, database));
if (onPostgres) results.push(onPostgres);
else skipped = postgresSkipped;
clearInterval(sampler);
rmSync(root, { recursive: true, force: true });

const n = (value: number) => value.toLocaleString('en-GB');
const s = (value: number) => `${value.toFixed(1)} s`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const runs = (t: Stats) => `p50 ${ms(t.p50)}, p95 ${ms(t.p95)}, max ${ms(t.max)} (${t.n} runs)`;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
const g = generated.value;
console.log(
  `Synthetic return: ${n(g.children)} children, ${n(g.episodes)} episodes, ${n(g.decisions)} should-be-placed decisions, ${n(g.adopted)} adopted, ${n(g.earlyPermanence)} early permanence, ${n(g.planChanged)} plans changed (generated in ${s(generated.s)}; load average ${load()})`,
);
console.log(`  baseline — read the files alone:            ${s(parsed.s)}`);
console.log(
  `  validate alone:                              ${s(validated.s)}  (${n(validated.value.length)} errors; ${(validated.s / Math.max(parsed.s, 0.001)).toFixed(1)}× the read)`,
);
console.log('');
console.log(
  `Scorecard from the files, ${n(returnChildren.length)} children dealt to ${laCodes.length} councils, window ending ${windowEnd}:`,
);
console.log(
  `  journeys from the return (once):             ${ms(journeys.s * 1000)}  (baseline: the read above, ${s(parsed.s)})`,
);
console.log(
  `  scorecardByGroup, ${pureResult.length} groups (councils, spokes, RAA, hub): ${runs(pureByGroup)}  goal ≤ ${scorecardGoal} s: ${verdict(pureByGroup.max <= scorecardGoal * 1000)}`,
);
console.log(
  `  as \`kindred ssda903 scorecard --json\` (each council, then all): ${runs(pureCli)}  goal ≤ ${scorecardGoal} s: ${verdict(pureCli.max <= scorecardGoal * 1000)}`,
);
console.log(
  `    all councils: ${n(cliAll?.n ?? 0)} adopted in the window, A1 ${cliAll?.A1 ?? '–'} days, A2 ${cliAll?.A2 ?? '–'} days (${n(cliAll?.A2_n ?? 0)}), A3 ${cliAll?.A3_percent ?? '–'}%, A10 ${cliAll?.A10 ?? '–'} days; RAA group agrees: ${pureAll?.adoptions.value === cliAll?.n && pureAll?.A1.value === cliAll?.A1 ? 'yes' : 'NO'}`,
);
for (const result of results) {
  const goal = goals[result.label];
  console.log('');
  console.log(`${result.where}:`);
  console.log(
    `  import (validate + write):                   ${s(result.first)}  ${(result.first / Math.max(parsed.s, 0.001)).toFixed(1)}× the read  goal ≤ ${goal} s: ${verdict(result.first <= goal)}  (load average ${result.load.import})`,
  );
  console.log(
    `    ${n(result.created)} children created with ${n(result.facts)} journey facts; ${n(result.notAdoption)} looked-after children without an adoption milestone counted, not imported`,
  );
  console.log(
    `  the same return again:                      ${s(result.second)}  changes: ${result.changedSecondTime}, audit entries: ${result.auditEntries} (the import's own summary)`,
  );
  console.log(
    `  scorecard over ${councilCount} councils (children dealt out in turn, ${n(result.households)} synthetic households), RAA head of service (load average ${result.load.scorecard}):`,
  );
  console.log(`    baseline — select count(*) from children:   ${runs(result.countBaseline)}`);
  console.log(
    `    baseline — read ${n(result.readRows)} children's milestone columns: ${runs(result.readBaseline)}`,
  );
  console.log(
    `    scorecardFor, window ending ${windowEnd}:    ${runs(result.scorecard)}  ${(result.scorecard.p95 / Math.max(result.readBaseline.p95, 0.001)).toFixed(1)}× the read at p95  goal ≤ ${scorecardGoal} s: ${verdict(result.scorecard.max <= scorecardGoal * 1000)}`,
  );
  const r = result.raaFigures;
  console.log(
    `      ${result.groups} groups; RAA: ${n(r.adoptions)} adopted in the window, A1 ${r.A1 ?? '–'} days, A2 ${r.A2 ?? '–'} days, A11 ${n(r.A11)}, A13 ${n(r.A13)}`,
  );
  console.log(
    `  quarterly report page to one council (${reportQuarter}, eight scorecards), server time: p50 ${ms(result.report.p50)}, p95 ${ms(result.report.p95)} (${result.report.n} requests)  ${(result.report.p95 / Math.max(result.countBaseline.p95, 0.001)).toFixed(0)}× the count at p95  aim p95 ≤ ${reportGoalMs} ms (not an issue goal): ${verdict(result.report.p95 <= reportGoalMs)}`,
  );
  console.log(
    `    client round trip: p50 ${ms(result.reportClient.p50)}, p95 ${ms(result.reportClient.p95)}`,
  );
}
if (skipped) console.log(`\n${skipped}.`);
const rss = process.resourceUsage().maxRSS / 1024;
console.log(
  `Peak memory: maxRSS ${n(Math.round(rss))} MB, largest heap seen ${n(Math.round(peakHeap / 1024 / 1024))} MB`,
);
const part = (label: keyof typeof goals) => {
  const found = results.find((r) => r.label === label);
  return found
    ? `${label} import ${s(found.first)}, scorecard ${ms(found.scorecard.max)}, quarterly report p95 ${ms(found.report.p95)}`
    : `${label} skipped`;
};
const met =
  pureByGroup.max <= scorecardGoal * 1000 &&
  pureCli.max <= scorecardGoal * 1000 &&
  results.every(
    (r) =>
      r.first <= goals[r.label] &&
      r.changedSecondTime === 0 &&
      r.auditEntries === 1 &&
      r.scorecard.max <= scorecardGoal * 1000,
  );
console.log(
  `ssda903: ${n(g.children)} children — ${part('PGlite')}; ${part('PostgreSQL')}; scorecard from files ${ms(pureByGroup.max)} (read alone ${s(parsed.s)}, validate ${s(validated.s)}), peak RSS ${n(Math.round(rss))} MB — goal ${met ? 'met' : 'NOT met'}`,
);
