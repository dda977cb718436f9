// Issue 8 §4 over real HTTP and the real job: every output that faces a birth relative, produced
// the way Kindred really produces it, with a family whose protected details are known. Each kind
// in the guard's registry must have a trigger here (the first test fails otherwise); each is tried
// with a protected detail in it — refused with a clear message, nothing written or sent, the
// refusal audited — and clean, when what leaves Kindred (stored text, PDF, email) holds none of
// the family's protected values. A letter is checked again when it is downloaded later.
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  birthRelativeOutputKinds,
  collectProtectedDetails,
  findProtectedValues,
  type BirthRelativeOutputKind,
  type ProtectedDetails,
} from '../../src/modules/support/birth-relative-output.js';
import { protectedSourcesOf } from '../../src/modules/support/support.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';
import {
  aFamily,
  aSupportCase,
  aSupportChild,
  anAgreement,
  anExchange,
  type FamilyDetails,
} from '../support/support.js';

let t: TestApp;
let raaId: string;
let worker: SignedInUser;

beforeAll(async () => {
  t = await createTestApp();
  raaId = await anOrganisation(t, { kind: 'raa', name: 'Adopt Guard South (test)' });
  await t.database.db
    .updateTable('organisations')
    .set({ contact_email: 'letterbox@adopt-guard.test' })
    .where('id', '=', raaId)
    .execute();
  worker = await signedInUser(t, { roles: ['support_worker'], organisationId: raaId, name: 'Grace Worker' });
});
afterAll(async () => {
  await t?.close();
});

const post = (actor: SignedInUser, url: string, fields: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: actor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: actor.csrfToken, ...fields }).toString(),
  });
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/\s+/g, ' ');

interface Setup {
  family: FamilyDetails;
  caseId: string;
  agreementId: string;
  familyPartyId: string;
  relativePartyId: string;
  details: ProtectedDetails;
}

/** A fresh family and agreement; `relativeName` lets a test make the data-entry slip of naming the relative with the family's surname. */
async function setup(
  options: { prefersEmail?: boolean; months?: number[]; nextDueOn?: string } = {},
): Promise<Setup> {
  const family = aFamily();
  const caseId = await aSupportCase(t, raaId, { family, workerId: worker.userId });
  const childId = await aSupportChild(t, caseId, {
    firstName: 'Rosa',
    lastName: family.surnames[0],
    birthFirstName: 'Maya',
  });
  const agreement = await anAgreement(t, caseId, {
    raaId,
    childId,
    months: options.months,
    nextDueOn: options.nextDueOn,
    relative: { prefersEmail: options.prefersEmail ?? false },
  });
  const sources = await protectedSourcesOf(t.database.db, caseId);
  return { family, caseId, ...agreement, details: collectProtectedDetails(sources!) };
}

const slipIntoRelativeName = (s: Setup) =>
  t.database.db
    .updateTable('letterbox_parties')
    .set({ name: `Jo ${s.family.surnames[0]}` })
    .where('id', '=', s.relativePartyId)
    .execute();

const outputsOf = (agreementId: string) =>
  t.database.db.selectFrom('letterbox_outputs').selectAll().where('agreement_id', '=', agreementId).execute();
const refusals = async (caseId: string) =>
  (
    await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'outcome', 'reason'])
      .where('subject_id', '=', caseId)
      .where('action', '=', 'support.letterbox.output.refuse')
      .execute()
  ).map((row) => `${row.outcome} ${row.reason}`);

interface Trigger {
  /** Produces the output for real; `leak` puts a protected detail into it first. */
  run(s: Setup, leak: boolean): Promise<{ status: number; body: string }>;
}

const itemFromRelative = (s: Setup, status: 'received' | 'held') =>
  anExchange(t, s.agreementId, s.relativePartyId, {
    status,
    text: 'Dear Maya, I think of you every day. Love, Jo.',
  });

const triggers: Record<BirthRelativeOutputKind, Trigger & { setup?: Parameters<typeof setup>[0] }> = {
  'forwarded-letter': {
    async run(s, leak) {
      const body = leak
        ? `Rosa loves her new school, ${s.family.school}, near ${s.family.addressLine1}.`
        : 'Maya loves drawing horses and learned to swim this summer.';
      // Checked earlier, when the text held nothing: the guard at forwarding is the last wall.
      const id = await anExchange(t, s.agreementId, s.familyPartyId, {
        status: 'checked',
        text: body,
        redacted: body,
      });
      const response = await post(worker, `/support/letterbox-items/${id}/forward`, { version: '1' });
      return { status: response.statusCode, body: response.body };
    },
  },
  'acknowledgement-letter': {
    async run(s, leak) {
      if (leak) await slipIntoRelativeName(s);
      const id = await itemFromRelative(s, 'received');
      const response = await post(worker, `/support/letterbox-items/${id}/acknowledge`, { version: '1' });
      return { status: response.statusCode, body: response.body };
    },
  },
  'acknowledgement-email': {
    setup: { prefersEmail: true },
    async run(s, leak) {
      return triggers['acknowledgement-letter'].run(s, leak);
    },
  },
  'reminder-letter': {
    setup: { months: [5, 11], nextDueOn: '2026-11-01' },
    async run(s, leak) {
      if (leak) await slipIntoRelativeName(s);
      await t.app.jobs.send('support.letterbox-reminders', {});
      expect(await t.app.jobs.runDue('support.letterbox-reminders')).toEqual({ completed: 1, failed: 0 });
      return { status: 200, body: '' };
    },
  },
  'reminder-email': {
    setup: { months: [5, 11], nextDueOn: '2026-11-01', prefersEmail: true },
    async run(s, leak) {
      return triggers['reminder-letter'].run(s, leak);
    },
  },
  'held-notice-letter': {
    async run(s, leak) {
      if (leak) await slipIntoRelativeName(s);
      const id = await itemFromRelative(s, 'held');
      const response = await post(worker, `/support/letterbox-items/${id}/held-notice`, { version: '1' });
      return { status: response.statusCode, body: response.body };
    },
  },
};

describe('every birth-relative output type (issue 8 §4)', () => {
  it('has a real trigger here for every type in the guard’s registry', () => {
    expect(Object.keys(triggers).sort()).toEqual([...birthRelativeOutputKinds].sort());
  });

  describe.each(birthRelativeOutputKinds)('%s', (kind) => {
    it('is refused when a protected detail of the family would be in it: nothing written or sent, the refusal audited', async () => {
      const s = await setup(triggers[kind].setup);
      const mailBefore = t.sentMail.length;
      const result = await triggers[kind].run(s, true);
      if (result.body) {
        expect(result.status).toBe(409);
        expect(text(result.body)).toContain('Kindred did not produce the');
        expect(text(result.body)).toContain('Nothing was sent or saved');
      }
      const outputs = await outputsOf(s.agreementId);
      expect(outputs.filter((o) => o.audience === 'birth_relative')).toEqual([]);
      expect(t.sentMail.slice(mailBefore).filter((m) => m.to === 'jo.thornbury@example.test')).toEqual([]);
      expect((await refusals(s.caseId)).some((r) => r.startsWith(`denied ${kind}: protected`))).toBe(true);
    });

    it('is produced from clean data, and nothing that leaves Kindred holds a protected value', async () => {
      const s = await setup(triggers[kind].setup);
      const mailBefore = t.sentMail.length;
      const result = await triggers[kind].run(s, false);
      if (result.body) expect(result.status).toBe(303);
      const outputs = (await outputsOf(s.agreementId)).filter((o) => o.audience === 'birth_relative');
      expect(outputs.map((o) => o.kind)).toEqual([kind]);
      for (const output of outputs) {
        expect(findProtectedValues(output.body, s.details)).toEqual([]);
        expect(JSON.stringify(output.view)).not.toContain(s.family.surnames[0]);
        const download = await t.app.inject({
          url: `/support/letterbox-outputs/${output.id}`,
          headers: { cookie: worker.cookie },
        });
        expect(download.statusCode).toBe(200);
        if (output.channel === 'letter') {
          expect(download.headers['content-type']).toBe('application/pdf');
          const pdf = await extractText(await getDocumentProxy(new Uint8Array(download.rawPayload)), {
            mergePages: true,
          });
          expect(pdf.text).toContain('Jo Thornbury');
          expect(findProtectedValues(pdf.text, s.details)).toEqual([]);
        } else {
          expect(findProtectedValues(text(download.body), s.details)).toEqual([]);
        }
      }
      const mail = t.sentMail.slice(mailBefore).filter((m) => m.to === 'jo.thornbury@example.test');
      expect(mail.length).toBe(outputs[0]?.channel === 'email' ? 1 : 0);
      for (const message of mail)
        expect(findProtectedValues(`${message.subject}\n${message.text}`, s.details)).toEqual([]);
      expect(await refusals(s.caseId)).toEqual([]);
    });
  });

  it('checks a letter again when it is downloaded later: a family that has moved since cannot slip into it', async () => {
    const s = await setup();
    expect((await triggers['forwarded-letter'].run(s, false)).status).toBe(303);
    const [output] = await outputsOf(s.agreementId);
    // The family moves to a town whose name happens to be in the letter's text.
    await t.database.db
      .updateTable('support_cases')
      .set({ town: 'Horses' })
      .where('id', '=', s.caseId)
      .execute();
    const download = await t.app.inject({
      url: `/support/letterbox-outputs/${output!.id}`,
      headers: { cookie: worker.cookie },
    });
    expect(download.statusCode).toBe(409);
    expect(text(download.body)).toContain('it would contain the adoptive family’s town');
    expect(await refusals(s.caseId)).toEqual(['denied forwarded-letter: protected towns']);
  });

  it('leaves the item as it was when the forwarded letter is refused', async () => {
    const s = await setup();
    await triggers['forwarded-letter'].run(s, true);
    const items = await t.database.db
      .selectFrom('letterbox_exchanges')
      .select(['status', 'version'])
      .where('agreement_id', '=', s.agreementId)
      .execute();
    expect(items).toEqual([{ status: 'checked', version: 1 }]);
  });
});
