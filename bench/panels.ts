// bench/panels: the pages of a panel with five years of sittings (issue 7, benchmark). Goal: p95
// server time per page ≤ 150 ms. Beside it, in the same run, the rate at which decision letters
// are drawn as PDFs, next to the rate at which the item page (HTML) is rendered.
//
// A fresh PGlite (in a data directory, as `npm start` uses it) is migrated and given an RAA with a
// spoke and a council, a central list of 14, and one panel sitting every eight working days for
// five years and two months ahead (about 160 sittings), four items each: households with their
// applicants, attendance, papers, signed-off minutes and decisions for the sittings held. A user
// who is the panel adviser and an agency decision maker signs in over real HTTP (password and
// TOTP); then each page is requested in turn, one request at a time, after a warm-up round. Server
// time is read from the Server-Timing header this bench adds (onRequest → onSend in the server:
// routing, session, queries, audit entries, rendering; not the network). PostgreSQL runs too when
// DATABASE_URL or TEST_DATABASE_URL is set (the bench creates and drops its own database there).
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { buildApp } from '../src/platform/app.js';
import type { Database } from '../src/platform/db/client.js';
import { migrate } from '../src/platform/db/migrate.js';
import { addWorkingDays, englandAndWalesCalendar, todayInLondon } from '../src/platform/time/index.js';
import { renderLetterPdf, type LetterValues } from '../src/modules/panels/letters.js';
import { adrDecisionDue } from '../src/platform/time/index.js';
import type { MemberRole } from '../src/modules/panels/panels.tables.js';
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
  serverMs,
  stats,
  type Stats,
} from './support/measure.js';

const years = Number(process.env.BENCH_PANEL_YEARS ?? 5);
const itemsPerSitting = Number(process.env.BENCH_ITEMS_PER_SITTING ?? 4);
const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
const letterRuns = Number(process.env.BENCH_LETTERS ?? 300);
const goalMs = 150;

const config = benchConfig();

interface Seeded {
  panelId: string;
  sittingIds: string[];
  itemIds: string[];
  sittings: number;
  items: number;
  years: number[];
  from: string;
  to: string;
  user: { email: string; secret: string };
  seconds: number;
}

const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const reference = (n: number) => {
  const chars = Array.from(
    { length: 8 },
    (_, i) => letters[Math.floor(n / letters.length ** i) % letters.length],
  );
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
};

async function seed(database: Database): Promise<Seeded> {
  const started = performance.now();
  const db = database.db;
  const today = todayInLondon();
  const calendar = englandAndWalesCalendar();
  const org = (
    code: string,
    kind: 'raa' | 'spoke' | 'local_authority',
    parentId: string | null,
    raaId: string | null,
  ) =>
    db
      .insertInto('organisations')
      .values({
        code,
        kind,
        name: `Bench ${kind} ${code}`,
        parent_id: parentId,
        raa_id: raaId,
        la_code: kind === 'local_authority' ? '901' : null,
        ons_code: null,
        contact_email: null,
        contact_phone: null,
        website: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  const raa = await org('bench-raa', 'raa', null, null);
  const spoke = await org('bench-spoke', 'spoke', raa.id, raa.id);
  await org('bench-council', 'local_authority', spoke.id, raa.id);

  const email = 'bench.panels@synthetic.kindred.invalid';
  const { userId, secret } = await createBenchUser(database, config, {
    organisationId: raa.id,
    email,
    name: 'Bench Adviser (synthetic)',
    roles: ['panel_adviser', 'agency_decision_maker'],
  });

  const roles: MemberRole[] = [
    'independent_chair',
    'vice_chair',
    'vice_chair',
    'social_worker',
    'social_worker',
    'social_worker',
    'independent_member',
    'independent_member',
    'independent_member',
    'other_member',
    'other_member',
    'medical_adviser',
    'legal_adviser',
    'panel_adviser',
  ];
  const members = await db
    .insertInto('panel_members')
    .values(
      roles.map((role, i) => ({
        raa_id: raa.id,
        name: `Synthetic member ${i + 1}`,
        role,
        social_work_qualified_on: role === 'social_worker' ? '2010-09-01' : null,
        appointed_on: '2019-01-07',
        review_due: '2027-01-07',
      })),
    )
    .returning('id')
    .execute();
  const sitters = members.slice(0, 12).map((m) => m.id);
  const chair = members[0]!.id;
  const panel = await db
    .insertInto('panels')
    .values({ raa_id: raa.id, organisation_id: spoke.id, name: 'Bench adoption panel' })
    .returning('id')
    .executeTakeFirstOrThrow();

  // A sitting every eight working days, from five years ago to two months ahead.
  const dates: string[] = [];
  let day = calendar.addWorkingDays(`${Number(today.slice(0, 4)) - years}-${today.slice(5)}`, 0);
  const end = addWorkingDays(today, 40);
  while (day <= end) {
    dates.push(day);
    day = calendar.addWorkingDays(day, 8);
  }
  const sittings = await db
    .insertInto('panel_sittings')
    .values(
      dates.map((date) => ({
        panel_id: panel.id,
        sitting_date: date,
        starts_at: '10:00',
        venue: 'Bench room',
        attendance_recorded_at: date <= today ? new Date(`${date}T12:00:00Z`) : null,
        chaired_by_member_id: date <= today ? chair : null,
      })),
    )
    .returning(['id', 'sitting_date'])
    .execute();
  await db
    .insertInto('panel_sitting_members')
    .values(
      sittings.flatMap((s) =>
        sitters.map((memberId) => ({
          sitting_id: s.id,
          member_id: memberId,
          attendance: s.sitting_date <= today ? ('present' as const) : ('invited' as const),
          papers_sent_on: s.sitting_date <= today ? calendar.addWorkingDays(s.sitting_date, 0) : null,
        })),
      ),
    )
    .execute();

  const pdf = Buffer.from('%PDF-1.4\n% bench paper\n%%EOF\n');
  const itemIds: string[] = [];
  let n = 0;
  for (const sitting of sittings) {
    const households = await db
      .insertInto('households')
      .values(
        Array.from({ length: itemsPerSitting }, () => ({
          reference: reference((n += 1)),
          raa_id: raa.id,
          relationship_status: 'L11' as const,
          postcode: 'SE22 8AA',
          postcode_district: 'SE22',
          current_stage: sitting.sitting_date <= today ? 'approved' : 'stage_two',
        })),
      )
      .returning('id')
      .execute();
    await db
      .insertInto('household_applicants')
      .values(
        households.flatMap((h) =>
          [1, 2].map((position) => ({
            household_id: h.id,
            position: position as 1 | 2,
            first_name: position === 1 ? 'Syn' : 'Thetic',
            last_name: 'Benchfamily',
            date_of_birth: '1984-01-01',
            sex: '2' as const,
            ethnicity: 'WBRI',
          })),
        ),
      )
      .execute();
    const items = await db
      .insertInto('panel_agenda_items')
      .values(
        households.map((h, i) => ({
          sitting_id: sitting.id,
          position: i + 1,
          kind: 'adopter_approval' as const,
          household_id: h.id,
        })),
      )
      .returning('id')
      .execute();
    itemIds.push(...items.map((i) => i.id));
    await db
      .insertInto('panel_papers')
      .values(
        items.map((i) => ({
          item_id: i.id,
          title: "Prospective Adopter's Report",
          media_type: 'application/pdf' as const,
          size_bytes: pdf.length,
          content: pdf,
        })),
      )
      .execute();
    if (sitting.sitting_date > today) continue;
    await db
      .insertInto('panel_minutes')
      .values(
        items.map((i) => ({
          item_id: i.id,
          recommendation: 'in_favour' as const,
          reasons: 'A thorough assessment; the panel heard from the social worker and the applicants.',
          votes_for: 9,
          votes_against: 0,
          abstentions: 0,
          signed_off_at: new Date(`${sitting.sitting_date}T16:00:00Z`),
          signed_off_on: sitting.sitting_date,
          signed_off_by: userId,
          signed_off_for_member_id: chair,
        })),
      )
      .execute();
    const decidedOn = calendar.addWorkingDays(sitting.sitting_date, 3);
    if (decidedOn > today) continue;
    await db
      .insertInto('panel_decisions')
      .values(
        items.map((i) => ({
          item_id: i.id,
          outcome: 'approved' as const,
          reasons: 'The panel’s reasons are sound.',
          decided_on: decidedOn,
          due_on: adrDecisionDue(sitting.sitting_date),
          agrees_with_recommendation: true,
          decided_by: userId,
          decision_maker_organisation_id: raa.id,
        })),
      )
      .execute();
  }
  await sql`analyze`.execute(db);
  const yearsSeen = [...new Set(dates.map((d) => Number(d.slice(0, 4))))].sort();
  return {
    panelId: panel.id,
    sittingIds: sittings.map((s) => s.id),
    itemIds,
    sittings: sittings.length,
    items: itemIds.length,
    years: yearsSeen,
    from: dates[0] ?? today,
    to: dates.at(-1) ?? today,
    user: { email, secret },
    seconds: (performance.now() - started) / 1000,
  };
}

interface Result {
  label: string;
  seeded: Seeded;
  server: Stats;
  client: Stats;
  perPage: Array<{ label: string; server: Stats }>;
  itemPage: Stats;
  letters: Stats;
}

async function benchDatabase(label: string, database: Database): Promise<Result> {
  await migrate(database.db);
  const seeded = await seed(database);
  const app = await buildApp({ config, database });
  addBenchServerTiming(app);
  const base = await listenForBench(app);
  try {
    const jar = await signInOverHttp(base, { ...seeded.user, password });
    const pick = <T>(list: T[], count: number) =>
      Array.from({ length: count }, (_, i) => list[Math.floor(((i + 0.5) * list.length) / count)]!);
    const thisYear = Number(todayInLondon().slice(0, 4));
    const pages: Array<{ label: string; url: string }> = [
      { label: 'panels', url: '/panels' },
      ...seeded.years.map((y) => ({ label: `panel, ${y}`, url: `/panels/${seeded.panelId}?year=${y}` })),
      ...pick(seeded.sittingIds, 8).map((id, i) => ({
        label: `sitting ${i + 1} of 8`,
        url: `/panel-sittings/${id}`,
      })),
      ...pick(seeded.itemIds, 8).map((id, i) => ({ label: `item ${i + 1} of 8`, url: `/panel-items/${id}` })),
      { label: 'decisions', url: '/decisions' },
      { label: 'central list', url: '/central-list' },
      { label: 'quality report', url: `/panels/quality?period=${thisYear - 1}-10-01` },
    ];
    const server = new Map<string, number[]>(pages.map((p) => [p.label, []]));
    const client: number[] = [];
    for (let round = 0; round <= rounds; round += 1) {
      for (const page of pages) {
        const t0 = performance.now();
        const response = await fetch(`${base}${page.url}`, { headers: { cookie: cookieHeader(jar) } });
        await response.text();
        const elapsed = performance.now() - t0;
        if (response.status !== 200) throw new Error(`GET ${page.url}: ${response.status}`);
        if (round === 0) continue;
        server.get(page.label)!.push(serverMs(response, `GET ${page.url}`));
        client.push(elapsed);
      }
    }
    const itemTimes = [...server.entries()].filter(([k]) => k.startsWith('item ')).flatMap(([, v]) => v);

    // Letters drawn as PDFs, one after another, in the same process and run.
    const values: LetterValues = {
      addressee: ['Syn Benchfamily', 'Thetic Benchfamily'],
      address: ['1 Synthetic Street', 'London', 'SE22 8AA'],
      salutation: 'Syn Benchfamily and Thetic Benchfamily',
      reference: 'BNCH-AAAA',
      agencyName: 'Bench RAA',
      panel: 'Bench adoption panel',
      sittingDate: '2026-11-04',
      decisionDate: '2026-11-06',
      recommendation: 'recommends that the applicants are suitable to adopt',
      reasons: 'A thorough assessment; the panel’s reasons are sound. '.repeat(6),
      deciderName: 'Bench Adviser',
      deciderOrganisation: 'Bench RAA',
    };
    const letterTimes: number[] = [];
    for (let i = 0; i < letterRuns + 10; i += 1) {
      const t0 = performance.now();
      await renderLetterPdf('adopter_approval.approved', values);
      if (i >= 10) letterTimes.push(performance.now() - t0);
    }
    return {
      label,
      seeded,
      server: stats([...server.values()].flat()),
      client: stats(client),
      perPage: pages.map((p) => ({ label: p.label, server: stats(server.get(p.label)!) })),
      itemPage: stats(itemTimes),
      letters: stats(letterTimes),
    };
  } finally {
    await app.close();
  }
}

const { results, skipped } = await onBothDatabases('panels', benchDatabase);

const perSecond = (s: Stats) => (s.p50 > 0 ? 1000 / s.p50 : 0);
for (const r of results) {
  console.log(
    `${r.label}: one panel, ${r.seeded.sittings} sittings from ${r.seeded.from} to ${r.seeded.to} (${years} years back, two months ahead), ${r.seeded.items} items (seeded in ${r.seeded.seconds.toFixed(1)} s); ${rounds} rounds of ${r.perPage.length} pages, one request at a time, after a warm-up round`,
  );
  console.log(
    `  panel pages, server time:  ${line(r.server)}  (${r.server.n} requests)  goal p95 ≤ ${goalMs} ms: ${r.server.p95 <= goalMs ? 'met' : 'NOT met'}`,
  );
  console.log(`  panel pages, client round trip: ${line(r.client)}`);
  const width = Math.max(...r.perPage.map((p) => p.label.length));
  for (const p of r.perPage) console.log(`    ${p.label.padEnd(width)}  ${line(p.server)}`);
  console.log(
    `  decision letter as PDF (pdfkit):  ${line(r.letters)}  ≈ ${perSecond(r.letters).toFixed(0)} letters/s  (${r.letters.n} letters)`,
  );
  console.log(
    `  item page as HTML, server time:   ${line(r.itemPage)}  ≈ ${perSecond(r.itemPage).toFixed(0)} pages/s`,
  );
  console.log(`  server time from: ${benchTimingSource}`);
}
if (skipped) console.log(`\n${skipped}.`);
const summary = results
  .map(
    (r) =>
      `${r.label.split(' ')[0]} p95 ${r.server.p95.toFixed(0)} ms, letters ${perSecond(r.letters).toFixed(0)}/s vs item page ${perSecond(r.itemPage).toFixed(0)}/s`,
  )
  .join('; ');
const met = results.every((r) => r.server.p95 <= goalMs);
console.log(`panels: ${summary} — goal ${met ? 'met' : 'NOT met'}`);
