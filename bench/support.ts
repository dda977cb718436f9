// bench/support: the adoption support caseload with ten years of letterbox exchanges for 5,000
// agreements, on PGlite and on PostgreSQL (issue 8, benchmark). Goal: p95 server time per caseload
// page ≤ 150 ms, shown beside a plain `select count(*) from letterbox_exchanges` in the same run.
//
// For each database: a fresh one, migrated; an RAA with ten councils; 5,000 adoptive families'
// support cases, each with a child and a letterbox agreement (two agreed months a year from ten
// years ago, the family and a birth relative both writing), and every exchange since — about
// 200,000 rows, written in batches, with some months missed so the "next month due" differs; a
// support worker allocated a tenth of the cases signs in over real HTTP (password and TOTP); then
// the caseload is requested with each filter in turn, one request at a time. Server time comes
// from a Server-Timing header this bench adds with an onRequest → onSend hook (routing, session,
// queries, audit entry and rendering; not the network). PostgreSQL runs when DATABASE_URL or
// TEST_DATABASE_URL is set; the bench creates and drops its own database on that server.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { buildApp } from '../src/platform/app.js';
import type { Database } from '../src/platform/db/client.js';
import { migrate } from '../src/platform/db/migrate.js';
import { addCalendarDays, addCalendarMonths, todayInLondon } from '../src/platform/time/index.js';
import { mulberry32 } from '../src/modules/children/synthetic-children.js';
import { nextDueOn, periodsBetween } from '../src/modules/support/support-rules.js';
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
  serverMs,
  stats,
  timedRuns,
  type Stats,
} from './support/measure.js';

const agreementCount = Number(process.env.BENCH_AGREEMENTS ?? 5_000);
const years = Number(process.env.BENCH_YEARS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 30);
const baselineRuns = Number(process.env.BENCH_BASELINE_RUNS ?? 100);
const batchSize = 1_000;
const goalMs = 150;

const config = benchConfig();

const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** A case reference from a number: 8 letters of the reference alphabet, e.g. AAAA-AAAB. */
function referenceOf(n: number): string {
  let value = n;
  let out = '';
  for (let i = 0; i < 8; i += 1) {
    out = alphabet[value % 32] + out;
    value = Math.floor(value / 32);
  }
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

async function insertBatched<T extends Record<string, unknown>>(
  database: Database,
  table: string,
  rows: T[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += batchSize) {
    await database.db
      .insertInto(table as never)
      .values(rows.slice(i, i + batchSize) as never)
      .execute();
  }
}

interface Seeded {
  seconds: number;
  exchanges: number;
  worker: { email: string; secret: string };
}

async function seed(database: Database, label: string): Promise<Seeded> {
  const started = performance.now();
  const next = mulberry32(20_261_208);
  const today = todayInLondon(new Date());
  const raa = randomUUID();
  const spoke = randomUUID();
  const team = randomUUID();
  const councils = Array.from({ length: 10 }, () => randomUUID());
  await database.db
    .insertInto('organisations')
    .values([
      { id: raa, code: 'bench-raa', kind: 'raa', name: 'Bench RAA (synthetic)', is_demo: true },
      {
        id: spoke,
        code: 'bench-spoke',
        kind: 'spoke',
        name: 'Bench spoke',
        parent_id: raa,
        raa_id: raa,
        is_demo: true,
      },
      {
        id: team,
        code: 'bench-support',
        kind: 'team',
        name: 'Bench support team',
        parent_id: spoke,
        raa_id: raa,
        is_demo: true,
      },
      ...councils.map((id, i) => ({
        id,
        code: `bench-council-${i}`,
        kind: 'local_authority' as const,
        name: `Synthetic Borough ${String(i + 1).padStart(3, '0')}`,
        parent_id: spoke,
        raa_id: raa,
        la_code: String(900 + i),
        is_demo: true,
      })),
    ])
    .execute();
  const email = 'bench.support@synthetic.kindred.invalid';
  const { userId: workerId, secret } = await createBenchUser(database, config, {
    organisationId: team,
    email,
    name: 'Bench Support Worker (synthetic)',
    roles: ['support_worker'],
  });

  const cases: Record<string, unknown>[] = [];
  const children: Record<string, unknown>[] = [];
  const agreements: Record<string, unknown>[] = [];
  const parties: Record<string, unknown>[] = [];
  const exchanges: Record<string, unknown>[] = [];
  const startsOn = addCalendarMonths(`${today.slice(0, 7)}-01`, -12 * years);
  let exchangeCount = 0;
  const flush = async () => {
    await insertBatched(database, 'letterbox_exchanges', exchanges.splice(0));
  };
  for (let n = 0; n < agreementCount; n += 1) {
    const caseId = randomUUID();
    const childId = randomUUID();
    const agreementId = randomUUID();
    const familyParty = randomUUID();
    const relativeParty = randomUUID();
    const first = 1 + Math.floor(next() * 6);
    const months = [first, first + 6];
    cases.push({
      id: caseId,
      reference: referenceOf(n + 1),
      raa_id: raa,
      kind: 'adoptive_family',
      referral_on: addCalendarDays(today, -Math.floor(next() * 3_000)),
      referral_source: 'self',
      referral_reason: 'Letterbox contact and support (synthetic)',
      allocated_worker_id: n % 10 === 0 ? workerId : null,
      family_name: `Bench family ${String(n + 1).padStart(5, '0')} (synthetic)`,
      family_surnames: [`Benchname${n}`],
      town: 'Synthtown',
      postcode: 'SE99 9ZZ',
      postcode_district: 'SE99',
      placing_council_id: councils[n % councils.length],
    });
    children.push({
      id: childId,
      case_id: caseId,
      first_name: 'Synth',
      last_name: `Benchname${n}`,
      birth_first_name: 'Synth',
      birth_last_name: 'Birthname',
      date_of_birth: addCalendarMonths(startsOn, -24),
    });
    agreements.push({
      id: agreementId,
      reference: `LB-${referenceOf(n + 1)
        .replace('-', '')
        .slice(2)}`,
      case_id: caseId,
      raa_id: raa,
      support_child_id: childId,
      months,
      starts_on: startsOn,
    });
    const timing = { months, startsOn, endedOn: null };
    const periods = periodsBetween(timing, today);
    for (const [partyId, side] of [
      [familyParty, 'adoptive_family'],
      [relativeParty, 'birth_relative'],
    ] as const) {
      // Most months arrive; about one in ten is missed, and the latest sometimes not yet.
      const received = periods.filter(
        (period, i) => next() > 0.1 || (i === periods.length - 1 && next() > 0.5),
      );
      parties.push({
        id: partyId,
        agreement_id: agreementId,
        side,
        name: side === 'adoptive_family' ? 'Mum and Dad' : 'Birth mother (synthetic)',
        relationship: side === 'adoptive_family' ? 'Adoptive family' : 'Birth mother',
        writes: true,
        receives: true,
        town: side === 'birth_relative' ? 'Elsewhere' : null,
        next_due_on: nextDueOn(timing, new Set(received)),
      });
      for (const period of received) {
        const text = `A letter for ${period.slice(0, 7)}: news of school, friends and holidays (synthetic).`;
        exchanges.push({
          agreement_id: agreementId,
          from_party_id: partyId,
          for_period: period,
          received_on: addCalendarDays(period, 5 + Math.floor(next() * 20)),
          original_text: text,
          redacted_text: text,
          redaction_note: 'Nothing identifying found',
          status: 'forwarded',
        });
        exchangeCount += 1;
      }
    }
    if (cases.length >= batchSize) {
      await insertBatched(database, 'support_cases', cases.splice(0));
      await insertBatched(database, 'support_children', children.splice(0));
      await insertBatched(database, 'letterbox_agreements', agreements.splice(0));
      await insertBatched(database, 'letterbox_parties', parties.splice(0));
      await flush();
      process.stderr.write(
        `  ${label}: ${n + 1} / ${agreementCount} agreements written (${exchangeCount} exchanges)\n`,
      );
    }
  }
  await insertBatched(database, 'support_cases', cases.splice(0));
  await insertBatched(database, 'support_children', children.splice(0));
  await insertBatched(database, 'letterbox_agreements', agreements.splice(0));
  await insertBatched(database, 'letterbox_parties', parties.splice(0));
  await flush();
  await sql`analyze`.execute(database.db);
  return {
    seconds: (performance.now() - started) / 1000,
    exchanges: exchangeCount,
    worker: { email, secret },
  };
}

interface Result {
  label: string;
  seeded: Seeded;
  baseline: Stats;
  server: Stats;
  client: Stats;
  perPage: Array<{ url: string; matched: string; server: Stats }>;
  agreementPage: Stats;
}

async function benchDatabase(label: string, database: Database): Promise<Result> {
  await migrate(database.db);
  const seeded = await seed(database, label);
  const agreement = await database.db
    .selectFrom('letterbox_agreements')
    .select('id')
    .orderBy('reference')
    .offset(Math.floor(agreementCount / 2))
    .executeTakeFirstOrThrow();
  const app = await buildApp({ config, database });
  addBenchServerTiming(app);
  const base = await listenForBench(app);
  try {
    const jar = await signInOverHttp(base, { ...seeded.worker, password });
    const lastPage = Math.max(1, Math.ceil(agreementCount / 50));
    const urls = [
      '/support',
      `/support?page=${Math.ceil(lastPage / 2)}`,
      `/support?page=${lastPage}`,
      '/support?worker=mine',
      '/support?status=all&kind=adoptive_family',
      '/support?q=Bench+family+0123',
    ];
    const timed = async (url: string) => {
      const t0 = performance.now();
      const response = await fetch(`${base}${url}`, { headers: { cookie: cookieHeader(jar) } });
      const body = await response.text();
      const elapsed = performance.now() - t0;
      if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
      return { body, elapsed, ms: serverMs(response, `GET ${url}`) };
    };
    const matched = new Map<string, string>();
    const server = new Map<string, number[]>(urls.map((url) => [url, []]));
    const client: number[] = [];
    const agreementTimes: number[] = [];
    for (let round = 0; round <= rounds; round += 1) {
      for (const url of urls) {
        const { body, elapsed, ms } = await timed(url);
        if (round === 0) {
          matched.set(url, /<caption[^>]*>\s*([\d,]+) case/.exec(body)?.[1] ?? '?');
          continue;
        }
        server.get(url)!.push(ms);
        client.push(elapsed);
      }
      const { ms } = await timed(`/support/letterbox/${agreement.id}`);
      if (round > 0) agreementTimes.push(ms);
    }
    const baseline = await timedRuns(baselineRuns, () =>
      sql`select count(*) from letterbox_exchanges`.execute(database.db),
    );
    return {
      label,
      seeded,
      baseline: stats(baseline),
      server: stats([...server.values()].flat()),
      client: stats(client),
      perPage: urls.map((url) => ({
        url,
        matched: matched.get(url) ?? '?',
        server: stats(server.get(url)!),
      })),
      agreementPage: stats(agreementTimes),
    };
  } finally {
    await app.close();
  }
}

const { results, skipped } = await onBothDatabases('support', benchDatabase);

const verdict = (s: Stats) => `goal p95 ≤ ${goalMs} ms: ${s.p95 <= goalMs ? 'met' : 'NOT met'}`;
console.log(
  `${agreementCount.toLocaleString('en-GB')} letterbox agreements with ${years} years of exchanges; ${rounds} rounds of ${results[0]?.perPage.length ?? 0} caseload pages, one request at a time, after one warm-up round`,
);
for (const result of results) {
  console.log('');
  console.log(
    `${result.label}: seeded in ${result.seeded.seconds.toFixed(1)} s (${result.seeded.exchanges.toLocaleString('en-GB')} exchanges)`,
  );
  console.log(
    `  baseline — select count(*) from letterbox_exchanges:  ${line(result.baseline)}  (${result.baseline.n} queries)`,
  );
  console.log(
    `  caseload, server time:  ${line(result.server)}  (${result.server.n} requests)  ${(result.server.p95 / Math.max(result.baseline.p95, 0.001)).toFixed(1)}× the count at p95  ${verdict(result.server)}`,
  );
  console.log(`  caseload, client round trip:  ${line(result.client)}`);
  console.log(
    `  one agreement's page (${years} years of its exchanges), server time:  ${line(result.agreementPage)}`,
  );
  console.log(`  server time from: ${benchTimingSource}`);
  const width = Math.max(...result.perPage.map((page) => page.url.length));
  for (const page of result.perPage) {
    console.log(`    ${page.url.padEnd(width)}  ${page.matched.padStart(6)} cases  ${line(page.server)}`);
  }
}
if (skipped) console.log(`\n${skipped}.`);
console.log(pagesSummary('support', results, goalMs));
