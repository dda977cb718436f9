// bench/signin: how fast staff can sign in with the argon2id parameters we use, beside an
// authenticated page request measured in the same run (issue 3, benchmark). Report only: the
// hashing cost is a security decision (OWASP Password Storage Cheat Sheet), not a knob for speed.
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/platform/app.js';
import { loadConfig } from '../src/platform/config.js';
import { openDatabase } from '../src/platform/db/client.js';
import { migrate } from '../src/platform/db/migrate.js';
import { argon2Options, hashPassword } from '../src/modules/identity/passwords.js';
import { secretBox } from '../src/modules/identity/secret-box.js';
import { newTotpSecret } from '../src/modules/identity/two-factor.js';
import { cookieHeader, signInOverHttp } from './support/http-session.js';

const signIns = Number(process.env.BENCH_SIGNINS ?? 40);
const pageRequests = Number(process.env.BENCH_PAGES ?? 400);

const config = loadConfig(
  { KINDRED_ENV: 'test', LOG_LEVEL: 'silent', KINDRED_SECRET: 'bench-secret-that-is-long-enough-0123456789' },
  { signInAttemptsPerMinute: 1_000_000 },
);
const database = await openDatabase({});
await migrate(database.db);
const organisation = await database.db
  .insertInto('organisations')
  .values({
    code: 'bench-raa',
    kind: 'raa',
    name: 'Bench RAA',
    parent_id: null,
    raa_id: null,
    la_code: null,
    ons_code: null,
    contact_email: null,
    contact_phone: null,
    website: null,
  })
  .returning('id')
  .executeTakeFirstOrThrow();
const password = 'benchmark password 2026';
const passwordHash = await hashPassword(password);
const box = secretBox(config.secret, 'totp-v1');
const users = await Promise.all(
  Array.from({ length: signIns }, async (_, i) => {
    const secret = newTotpSecret();
    await database.db
      .insertInto('users')
      .values({
        organisation_id: organisation.id,
        email: `bench${i}@example.test`,
        name: `Bench ${i}`,
        password_hash: passwordHash,
        totp_secret_encrypted: box.seal(secret),
        totp_enrolled_at: new Date(),
        status: 'active',
        throttled_until: null,
        last_sign_in_at: null,
      })
      .execute();
    return { email: `bench${i}@example.test`, secret };
  }),
);
const app = await buildApp({ config, database });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

// Two at a time: this machine has two cores.
async function measure<T>(
  count: number,
  task: (i: number) => Promise<T>,
): Promise<{ perSecond: number; p50: number; p99: number; results: T[] }> {
  const times: number[] = [];
  const results: T[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    [0, 1].map(async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        results[i] = await task(i);
        times.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: count / seconds, p50: percentile(times, 50), p99: percentile(times, 99), results };
}

const signInRun = await measure(signIns, (i) => signInOverHttp(base, { ...users[i]!, password }));
const jar = signInRun.results[0]!;
const pageRun = await measure(pageRequests, async () => {
  const response = await fetch(`${base}/account`, { headers: { cookie: cookieHeader(jar) } });
  if (response.status !== 200) throw new Error(`account page: ${response.status}`);
  await response.arrayBuffer();
});

await app.close();
await database.close();

const f = (n: number) => n.toFixed(1);
console.log(
  `argon2id parameters: memory ${argon2Options.memoryCost} KiB, time cost ${argon2Options.timeCost}, parallelism ${argon2Options.parallelism}`,
);
console.log(
  `full sign-in (password + TOTP, real HTTP): ${f(signInRun.perSecond)} per second, p50 ${f(signInRun.p50)} ms, p99 ${f(signInRun.p99)} ms  (${signIns} sign-ins)`,
);
console.log(
  `baseline — authenticated page (/account): ${f(pageRun.perSecond)} per second, p50 ${f(pageRun.p50)} ms, p99 ${f(pageRun.p99)} ms  (${pageRequests} requests)`,
);
console.log(
  `signin: ${f(signInRun.perSecond)} sign-ins/s (p99 ${f(signInRun.p99)} ms) vs ${f(pageRun.perSecond)} page requests/s — a sign-in costs ${f(pageRun.perSecond / signInRun.perSecond)}× a page`,
);
