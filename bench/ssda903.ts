// bench/ssda903: validate and import a national-sized synthetic SSDA903 return (issue 9,
// benchmark): by default 80,000 children and about 300,000 episodes from the generator, with
// coherent adoption journeys. Goals: import (which validates first) ≤ 60 s on PGlite and ≤ 30 s on
// PostgreSQL, each printed beside the time just to read the same files in the same run; then the
// same return imported again, which must change nothing. Peak memory printed (maxRSS, and the
// largest heap seen). PostgreSQL runs when DATABASE_URL or TEST_DATABASE_URL is set; the bench
// creates and drops its own database there. BENCH_SSDA903_CHILDREN sets the size (small for a check).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { auditKeyFrom } from '../src/platform/audit/audit.js';
import { openDatabase, redactUrl, type Database } from '../src/platform/db/client.js';
import { migrate } from '../src/platform/db/migrate.js';
import { generateReturn } from '../src/modules/ssda903/generator.js';
import { importReturn } from '../src/modules/ssda903/import.service.js';
import { readReturn } from '../src/modules/ssda903/read-return.js';
import { validateReturn } from '../src/modules/ssda903/validate.js';

const childCount = Number(process.env.BENCH_SSDA903_CHILDREN ?? 80_000);
const goals = { PGlite: 60, PostgreSQL: 30 } as const;
const auditKey = auditKeyFrom('bench-secret-that-is-long-enough-0123456789');
const now = new Date('2026-11-02T10:00:00Z');

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

const root = mkdtempSync(path.join(tmpdir(), 'kindred-bench-ssda903-'));
const dir = path.join(root, 'return');
const generated = await seconds(() => generateReturn(dir, { children: childCount }));
const parsed = await seconds(() => readReturn(dir));
if (parsed.value.problems.length) throw new Error(JSON.stringify(parsed.value.problems));
const validated = await seconds(() => validateReturn(parsed.value, { today: now }));

interface Result {
  label: keyof typeof goals;
  where: string;
  first: number;
  second: number;
  created: number;
  facts: number;
  notAdoption: number;
  changedSecondTime: number;
  auditEntries: number;
}

async function benchDatabase(label: keyof typeof goals, where: string, database: Database): Promise<Result> {
  await migrate(database.db);
  const raa = await database.db
    .insertInto('organisations')
    .values({
      code: 'bench-raa',
      kind: 'raa',
      name: 'Bench RAA (synthetic)',
      parent_id: null,
      raa_id: null,
      la_code: null,
      ons_code: null,
      contact_email: null,
      contact_phone: null,
      website: null,
      is_demo: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const council = await database.db
    .insertInto('organisations')
    .values({
      code: 'bench-council',
      kind: 'local_authority',
      name: 'Bench Council (synthetic)',
      parent_id: raa.id,
      raa_id: raa.id,
      la_code: '999',
      ons_code: null,
      contact_email: null,
      contact_phone: null,
      website: null,
      is_demo: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const context = { actor: null, ip: null, userAgent: 'bench/ssda903', correlationId: null, now };
  const run = () =>
    importReturn({ db: database.db, auditKey }, { kind: 'system' }, context, {
      councilId: council.id,
      current: parsed.value,
      validOnly: true,
    });
  const first = await seconds(run);
  const auditBefore = await database.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const second = await seconds(run);
  const auditAfter = await database.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return {
    label,
    where,
    first: first.s,
    second: second.s,
    created: first.value.created.length,
    facts: first.value.factsAdded,
    notAdoption: first.value.notOnAdoptionJourney,
    changedSecondTime: second.value.created.length + second.value.updated.length + second.value.factsAdded,
    // One summary entry per import is expected; anything more the second time is a change.
    auditEntries: Number(auditAfter.n) - Number(auditBefore.n),
  };
}

const results: Result[] = [];
let skipped: string | undefined;
{
  const database = await openDatabase({ dataDir: path.join(root, 'pglite') });
  try {
    results.push(await benchDatabase('PGlite', 'PGlite (data directory)', database));
  } finally {
    await database.close();
  }
}
const serverUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (serverUrl) {
  const name = `kindred_bench_${randomBytes(6).toString('hex')}`;
  const adminUrl = new URL(serverUrl);
  adminUrl.pathname = '/postgres';
  const admin = await openDatabase({ databaseUrl: adminUrl.toString(), poolSize: 1 });
  await sql`create database ${sql.id(name)}`.execute(admin.db);
  const benchUrl = new URL(serverUrl);
  benchUrl.pathname = `/${name}`;
  try {
    const database = await openDatabase({ databaseUrl: benchUrl.toString() });
    try {
      results.push(
        await benchDatabase('PostgreSQL', `PostgreSQL (${redactUrl(benchUrl.toString())})`, database),
      );
    } finally {
      await database.close();
    }
  } finally {
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db);
    await admin.close();
  }
} else {
  skipped = 'PostgreSQL skipped: set DATABASE_URL or TEST_DATABASE_URL to run it';
}

// The scorecard over 150 councils, when the reports module provides it (issue 9 §3).
let scorecardLine: string | undefined;
const scorecardModule = path.join(import.meta.dirname, '../src/modules/reports/scorecard.ts');
if (existsSync(scorecardModule)) {
  scorecardLine = 'scorecard: src/modules/reports/scorecard.ts exists; its bench is not wired in here yet';
}
clearInterval(sampler);
rmSync(root, { recursive: true, force: true });

const n = (value: number) => value.toLocaleString('en-GB');
const s = (value: number) => `${value.toFixed(1)} s`;
const g = generated.value;
console.log(
  `Synthetic return: ${n(g.children)} children, ${n(g.episodes)} episodes, ${n(g.decisions)} should-be-placed decisions, ${n(g.adopted)} adopted, ${n(g.earlyPermanence)} early permanence, ${n(g.planChanged)} plans changed (generated in ${s(generated.s)})`,
);
console.log(`  baseline — read the files alone:            ${s(parsed.s)}`);
console.log(
  `  validate alone:                              ${s(validated.s)}  (${n(validated.value.length)} errors; ${(validated.s / Math.max(parsed.s, 0.001)).toFixed(1)}× the read)`,
);
for (const result of results) {
  const goal = goals[result.label];
  console.log('');
  console.log(`${result.where}:`);
  console.log(
    `  import (validate + write):                   ${s(result.first)}  ${(result.first / Math.max(parsed.s, 0.001)).toFixed(1)}× the read  goal ≤ ${goal} s: ${result.first <= goal ? 'met' : 'NOT met'}`,
  );
  console.log(
    `    ${n(result.created)} children created with ${n(result.facts)} journey facts; ${n(result.notAdoption)} looked-after children without an adoption milestone counted, not imported`,
  );
  console.log(
    `  the same return again:                      ${s(result.second)}  changes: ${result.changedSecondTime}, audit entries: ${result.auditEntries} (the import's own summary)`,
  );
}
if (skipped) console.log(`\n${skipped}.`);
if (scorecardLine) console.log(scorecardLine);
const rss = process.resourceUsage().maxRSS / 1024;
console.log(
  `Peak memory: maxRSS ${n(Math.round(rss))} MB, largest heap seen ${n(Math.round(peakHeap / 1024 / 1024))} MB`,
);
const part = (label: keyof typeof goals) => {
  const found = results.find((r) => r.label === label);
  return found ? `${label} ${s(found.first)}` : `${label} skipped`;
};
const met = results.every(
  (r) => r.first <= goals[r.label] && r.changedSecondTime === 0 && r.auditEntries === 1,
);
console.log(
  `ssda903: ${n(g.children)} children — ${part('PGlite')}, ${part('PostgreSQL')} (read alone ${s(parsed.s)}, validate ${s(validated.s)}), peak RSS ${n(Math.round(rss))} MB — goal ${met ? 'met' : 'NOT met'}`,
);
