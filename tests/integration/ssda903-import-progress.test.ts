// Issue 9 §1: the SSDA903 import's job page shows how far a running import has got, on PGlite as
// on PostgreSQL, while the import stays one all-or-nothing transaction. The job is held at a
// progress report of the test's choosing (ImportJobDeps.progressed), so the page is looked at
// mid-import deterministically, then let go and the finished result is shown.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';
import { getAs, pageText } from '../support/http.js';
import { generateReturn } from '../../src/modules/ssda903/generator.js';
import { runImportJob } from '../../src/modules/ssda903/import.jobs.js';
import { progressOf } from '../../src/modules/ssda903/import-progress.js';
import type { ImportProgress } from '../../src/modules/ssda903/import.service.js';
import { auditKeyFrom } from '../../src/platform/audit/audit.js';

let t: TestApp;
let councilA: string;
let councilC: string;
let officer: SignedInUser;
let managerB: SignedInUser;
let files: Array<{ name: string; content: Buffer }>;
const scratch = mkdtempSync(path.join(tmpdir(), 'kindred-ssda903-progress-'));

beforeAll(async () => {
  t = await createTestApp();
  const raaId = await anOrganisation(t, { kind: 'raa', name: 'Adopt Progress' });
  const spoke = await anOrganisation(t, { kind: 'spoke', parentId: raaId, raaId, name: 'Progress South' });
  councilA = await anOrganisation(t, { kind: 'local_authority', parentId: spoke, raaId, name: 'Council P' });
  const councilB = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: spoke,
    raaId,
    name: 'Council Q',
  });
  councilC = await anOrganisation(t, { kind: 'local_authority', parentId: spoke, raaId, name: 'Council R' });
  officer = await signedInUser(t, { roles: ['performance_officer'], organisationId: raaId });
  managerB = await signedInUser(t, { roles: ['la_manager'], organisationId: councilB });
  const generated = generateReturn(path.join(scratch, 'return'), { children: 1500, seed: 11 });
  files = generated.files.map((file) => ({ name: path.basename(file), content: readFileSync(file) }));
});
afterAll(async () => {
  await t?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Uploads the return through the page; the queued job is run by the test, not by pg-boss. */
async function upload(councilId: string): Promise<string> {
  const boundary = `----kindred${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${officer.csrfToken}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="councilId"\r\n\r\n${councilId}\r\n`,
    ),
  ];
  for (const file of files)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const response = await t.app.inject({
    method: 'POST',
    url: '/imports/ssda903',
    headers: { cookie: officer.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
  });
  expect(response.statusCode).toBe(303);
  const url = response.headers.location as string;
  // Only the valid children, so the import goes on to write whatever the generator got wrong.
  await t.database.db
    .updateTable('ssda903_imports')
    .set({ valid_only: true })
    .where('id', '=', url.split('/').pop()!)
    .execute();
  return url;
}

/** Runs the import job, holding it at the first progress report `holdAt` picks until released. */
function runHeld(importId: string, holdAt: (progress: ImportProgress) => boolean) {
  let reached!: (progress: ImportProgress) => void;
  const held = new Promise<ImportProgress>((resolve) => (reached = resolve));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let holding = true;
  const finished = runImportJob(
    {
      database: t.database,
      auditKey: auditKeyFrom(t.config.secret),
      clock: t.clock.now,
      progressed: async (id, progress) => {
        if (id !== importId || !holding || !holdAt(progress)) return;
        holding = false;
        reached(progress);
        await gate;
      },
    },
    importId,
  );
  // An import that ends without reaching that point fails the test rather than hanging it.
  const heldOrEnded = Promise.race([
    held,
    finished.then(() => {
      throw new Error('The import ended without reaching the progress report to hold at.');
    }),
  ]);
  return { held: heldOrEnded, release, finished };
}

/** "Checked 40 of 310 validation rules (13%)" → [40, 310]. */
const figures = (text: string, pattern: RegExp) => {
  const match = pattern.exec(text);
  return match ? [Number(match[1]!.replace(/,/g, '')), Number(match[2]!.replace(/,/g, ''))] : null;
};

describe('the job page while an import runs (issue 9 §1)', () => {
  it('shows how far the check of the return has got, then the result, and to no one outside the scope', async () => {
    const url = await upload(councilA);
    const id = url.split('/').pop()!;
    const job = runHeld(id, (p) => p.stage === 'validating' && p.done > 0 && p.done < p.total);
    const held = await job.held;
    try {
      const page = await getAs(t, officer, url);
      expect(page.statusCode).toBe(200);
      const text = pageText(page.body);
      expect(text).toContain('Checking the return');
      const shown = figures(text, /Checked ([\d,]+) of ([\d,]+) validation rules/);
      expect(shown).toEqual([held.done, held.total]);
      expect(shown![0]).toBeGreaterThan(0);
      expect(shown![0]).toBeLessThan(shown![1]!);
      expect(page.body).toContain('role="status"');
      expect(page.body).toContain('data-running');
      // The live figures are laid over the scoped lookup, never instead of it.
      expect((await getAs(t, managerB, url)).statusCode).toBe(404);
    } finally {
      job.release();
    }
    await job.finished;
    expect(progressOf(id)).toBeUndefined();
    const done = await getAs(t, officer, url);
    const text = pageText(done.body);
    expect(text).toContain('Imported');
    expect(text).not.toContain('validation rules');
    expect(done.body).not.toContain('data-running');
    expect(text).toContain('Children in the return 1500');
  });

  // Inside the import's transaction the page can be served only where the page has a database
  // connection of its own: on PGlite the transaction holds the only session, so a request waits
  // until it commits (and the page then shows the result).
  it.runIf(process.env.TEST_DRIVER === 'postgres')(
    'on PostgreSQL, shows how many records have been saved inside the import’s transaction',
    async () => {
      // Another council, so there are children to write (council A's are imported already).
      const url = await upload(councilC);
      const id = url.split('/').pop()!;
      const job = runHeld(id, (p) => p.stage === 'writing' && p.done > 0 && p.done < p.total);
      const held = await job.held;
      try {
        const text = pageText((await getAs(t, officer, url)).body);
        expect(text).toContain('Saving the children');
        expect(figures(text, /Saved ([\d,]+) of ([\d,]+) records/)).toEqual([held.done, held.total]);
      } finally {
        job.release();
      }
      await job.finished;
      expect(pageText((await getAs(t, officer, url)).body)).toContain('Imported');
    },
  );
});
