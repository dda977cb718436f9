// `kindred seed-synthetic --children N` as an operator runs it (issue 4, benchmark): on an empty
// database it loads a synthetic region and adds N invented children whose stored stage and dates
// are exactly what the journey rules make of their facts; running it again adds N more and
// leaves the first ones as they were; a database with real children or a real region is refused
// with nothing written. The real command, on a PGlite data directory in the PGlite pass and on a
// fresh PostgreSQL database (DATABASE_URL) in the PostgreSQL pass.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/platform/db/client.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { todayInLondon } from '../../src/platform/time/index.js';
import { lastingHardToPlaceTags } from '../../src/modules/children/hard-to-place.js';
import {
  journeyDates,
  refuseImpossibleFact,
  type MilestoneFact,
  type MilestoneKind,
} from '../../src/modules/children/journey.js';
import { siblingGroup, siblingsToPlaceWith, type SiblingLink } from '../../src/modules/children/siblings.js';
import { createTestDatabase, testDriver } from '../support/test-database.js';

const run = promisify(execFile);
const scratch = mkdtempSync(path.join(tmpdir(), 'kindred-seed-synthetic-cli-'));
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const secret = 'seed-synthetic-cli-test-secret-long-enough-01';
// Each command starts Node and opens (and, the first time, initialises) the database.
const cliTimeout = 240_000;

interface Target {
  env: NodeJS.ProcessEnv;
  open(): Promise<Database>;
}

/** A fresh, migrated database the command can reach: a data directory, or a PostgreSQL database. */
async function freshTarget(name: string): Promise<Target> {
  if (testDriver() === 'postgres') {
    const database = await createTestDatabase();
    const url = database.url!;
    cleanups.push(() => database.close().catch(() => undefined));
    return {
      env: { DATABASE_URL: url },
      open: () => openDatabase({ databaseUrl: url, poolSize: 2 }),
    };
  }
  const dataDir = path.join(scratch, name);
  const database = await openDatabase({ dataDir });
  await migrate(database.db);
  await database.close();
  return { env: { DATA_DIR: dataDir }, open: () => openDatabase({ dataDir }) };
}

async function kindred(target: Target, ...args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KINDRED_ENV: 'development',
    KINDRED_SECRET: secret,
    LOG_LEVEL: 'silent',
  };
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  Object.assign(env, target.env);
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/kindred.mjs', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function withDatabase<T>(target: Target, use: (database: Database) => Promise<T>): Promise<T> {
  const database = await target.open();
  try {
    return await use(database);
  } finally {
    await database.close();
  }
}

async function snapshot(target: Target) {
  return withDatabase(target, async ({ db }) => ({
    children: await db.selectFrom('children').selectAll().orderBy('council_child_id').execute(),
    facts: await db
      .selectFrom('child_journey_facts')
      .selectAll()
      .orderBy('child_id')
      .orderBy('effective_date')
      .orderBy('recorded_at')
      .orderBy('id')
      .execute(),
    links: await db.selectFrom('child_sibling_links').selectAll().orderBy('id').execute(),
    organisations: await db.selectFrom('organisations').selectAll().orderBy('code').execute(),
    audit: await db.selectFrom('audit_events').select(['seq', 'action', 'reason']).orderBy('seq').execute(),
  }));
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** Every child's stored stage, dates, group size and tags are what the service would derive. */
function expectDerivedColumnsMatchFacts(state: Snapshot): void {
  const links: SiblingLink[] = state.links.map((link) => ({
    childAId: link.child_a_id,
    childBId: link.child_b_id,
    plan: link.placement_plan,
  }));
  const factsByChild = new Map<string, Snapshot['facts']>();
  for (const fact of state.facts)
    factsByChild.set(fact.child_id, [...(factsByChild.get(fact.child_id) ?? []), fact]);
  for (const child of state.children) {
    const today = todayInLondon(child.created_at);
    const facts: MilestoneFact[] = (factsByChild.get(child.id) ?? []).map((row) => ({
      id: row.id,
      kind: row.kind as MilestoneKind,
      effectiveDate: row.effective_date,
      source: row.source,
      recordedBy: row.recorded_by ?? '',
      recordedAt: row.recorded_at.toISOString(),
      supersedes: row.supersedes_id,
      correctionReason: row.correction_reason,
      planChangeReason: row.plan_change_reason as MilestoneFact['planChangeReason'],
      disruptionTiming: row.disruption_timing as MilestoneFact['disruptionTiming'],
    }));
    // Recorded in date order, each fact is one the service would have accepted.
    facts.forEach((fact, i) => {
      const refusal = refuseImpossibleFact(facts.slice(0, i), fact, {
        dateOfBirth: child.date_of_birth,
        today,
      });
      expect(refusal, `${child.council_child_id} ${fact.kind} ${fact.effectiveDate}`).toBeNull();
    });
    const dates = journeyDates(facts, today);
    expect(
      {
        stage: child.current_stage,
        since: child.stage_since,
        entered: child.entered_care_date,
        decision: child.should_be_placed_date,
        placementOrder: child.placement_order_date,
        finder: child.family_finder_allocated_date,
        cpr: child.latest_cpr_date,
        match: child.match_decision_date,
        placed: child.placed_date,
        order: child.adoption_order_date,
        groupSize: child.sibling_group_size,
        tags: child.hard_to_place_tags,
      },
      child.council_child_id,
    ).toEqual({
      stage: dates.currentStage,
      since: dates.stageSince,
      entered: dates.enteredCareDate,
      decision: dates.shouldBePlacedDate,
      placementOrder: dates.placementOrderDate,
      finder: dates.familyFinderAllocatedDate,
      cpr: dates.latestCprDate,
      match: dates.matchDecisionDate,
      placed: dates.placedDate,
      order: dates.adoptionOrderDate,
      groupSize: siblingGroup(links, child.id).length,
      tags: lastingHardToPlaceTags({
        ethnicity: child.ethnicity,
        needs: child.needs,
        siblingsToPlaceWith: siblingsToPlaceWith(links, child.id),
      }),
    });
    expect(child.family_finder_id !== null).toBe(child.family_finder_allocated_date !== null);
  }
}

describe('kindred seed-synthetic', () => {
  it(
    'loads a synthetic region into an empty database and adds N coherent children; again adds N more and changes nothing else',
    async () => {
      const target = await freshTarget('seeded');
      const first = await kindred(target, 'seed-synthetic', '--children', '300', '--councils', '12');
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toContain('Writing synthetic children: 300 / 300');
      const lines = first.stdout.trim().split('\n');
      // Hub, RAA, 2 spokes with a team each, 12 councils.
      expect(lines[0]).toBe(
        "Loaded region 'Synthetic Regional Adoption Agency (synthetic data)': 18 organisations added, 0 changed, 0 deactivated.",
      );
      expect(lines[1]).toMatch(
        /^Added 300 synthetic children \(SY00000001 to SY00000300\) across 12 councils of 'Synthetic Regional Adoption Agency \(synthetic data\)' in [\d.]+ s: [\d,]+ journey facts, [\d,]+ sibling links, 2 synthetic family finders\.$/,
      );
      expect(lines[2]).toMatch(/^By stage: .*adopted/);
      expect(lines[3]).toBe('The database now holds 300 synthetic children.');

      const before = await snapshot(target);
      expect(before.children).toHaveLength(300);
      expect(before.children.every((child) => child.is_synthetic)).toBe(true);
      expect(new Set(before.children.map((child) => child.responsible_council_id)).size).toBe(12);
      expect(before.organisations.every((organisation) => organisation.is_demo)).toBe(true);
      expect(
        before.facts.every((fact) => fact.source === 'Synthetic data' && fact.recorded_by === null),
      ).toBe(true);
      expect(before.links.every((link) => link.child_a_id < link.child_b_id)).toBe(true);
      expect(before.audit.map((entry) => entry.action)).toEqual(['region.load', 'children.synthetic.create']);
      expectDerivedColumnsMatchFacts(before);

      const second = await kindred(target, 'seed-synthetic', '--children', '200');
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toContain(
        'Added 200 synthetic children (SY00000301 to SY00000500) across 12 councils',
      );
      expect(second.stdout).not.toContain('Loaded region');
      expect(second.stdout).toContain('The database now holds 500 synthetic children.');
      const after = await snapshot(target);
      expect(after.children).toHaveLength(500);
      expect(after.organisations).toEqual(before.organisations);
      // The first 300 children, their facts and links are exactly as they were.
      expect(after.children.slice(0, 300)).toEqual(before.children);
      const firstIds = new Set(before.children.map((child) => child.id));
      expect(after.facts.filter((fact) => firstIds.has(fact.child_id))).toEqual(before.facts);
      expect(after.links.filter((link) => firstIds.has(link.child_a_id))).toEqual(before.links);
      expectDerivedColumnsMatchFacts(after);

      // A different number of councils for an existing region is refused, with nothing written.
      const refused = await kindred(target, 'seed-synthetic', '--children', '10', '--councils', '5');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        'The database already has a region with 12 councils; leave out --councils to add children to it',
      );
      expect((await snapshot(target)).children).toHaveLength(500);
    },
    cliTimeout * 2,
  );

  it(
    'refuses a database with real children, or a real region, and writes nothing',
    async () => {
      const target = await freshTarget('live');
      await withDatabase(target, async ({ db }) => {
        const organisation = {
          parent_id: null,
          raa_id: null,
          la_code: null,
          ons_code: null,
          contact_email: null,
          contact_phone: null,
          website: null,
        };
        const raa = await db
          .insertInto('organisations')
          .values({ ...organisation, code: 'real-raa', kind: 'raa', name: 'A Real RAA' })
          .returning('id')
          .executeTakeFirstOrThrow();
        const council = await db
          .insertInto('organisations')
          .values({
            code: 'real-council',
            kind: 'local_authority',
            name: 'A Real Council',
            parent_id: raa.id,
            raa_id: raa.id,
            la_code: '210',
            ons_code: 'E09000028',
            contact_email: null,
            contact_phone: null,
            website: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await db
          .insertInto('children')
          .values({
            responsible_council_id: council.id,
            council_child_id: 'REAL1',
            first_name: 'Real',
            last_name: 'Child',
            known_as: null,
            date_of_birth: '2024-01-01',
            sex: '1',
            ethnicity: 'WBRI',
            religion: null,
            legal_status: null,
            council_social_worker_name: null,
            council_social_worker_email: null,
            family_finder_id: null,
            contact_plan: null,
            family_finding_strategy: null,
            created_by: null,
          })
          .execute();
      });
      const before = await snapshot(target);
      const refused = await kindred(target, 'seed-synthetic', '--children', '50');
      expect(refused).toMatchObject({ code: 1, stdout: '' });
      expect(refused.stderr).toBe(
        'This database holds the records of 1 real child, so no synthetic children were added: invented children are never mixed into a live system. Use an empty database, or one made with kindred seed-demo.\n',
      );
      expect(await snapshot(target)).toEqual(before);

      // Without children, a real region is refused too.
      await withDatabase(target, ({ db }) => db.deleteFrom('children').execute());
      const region = await kindred(target, 'seed-synthetic', '--children', '50');
      expect(region.code).toBe(1);
      expect(region.stderr).toContain(
        'This database holds a real region (A Real Council is not marked as demo data)',
      );
      expect((await snapshot(target)).children).toHaveLength(0);
    },
    cliTimeout,
  );

  it(
    'says how to use it when the number of children is missing or wrong',
    async () => {
      const target = {
        env: { DATA_DIR: path.join(scratch, 'unused') },
        open: () => Promise.reject(new Error()),
      };
      const missing = await kindred(target, 'seed-synthetic');
      expect(missing).toMatchObject({ code: 1, stdout: '' });
      expect(missing.stderr).toBe(
        'Say how many children: kindred seed-synthetic --children N [--councils M] [--seed S]\n',
      );
      const wrong = await kindred(target, 'seed-synthetic', '--children', 'lots');
      expect(wrong.stderr).toBe(
        '--children needs a whole number from 1 to 500,000: kindred seed-synthetic --children N [--councils M] [--seed S]\n',
      );
    },
    cliTimeout,
  );
});
