// What the database benchmarks share: the config they run the app with, a signed-in user with a
// TOTP secret, percentiles, the PGlite half (a data directory, as `npm start` uses it) beside the
// PostgreSQL half in ./postgres.ts, and server time from a Server-Timing header the bench adds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { loadConfig, type Config } from '../../src/platform/config.js';
import { openDatabase, type Database } from '../../src/platform/db/client.js';
import type { Role } from '../../src/platform/access/permissions.js';
import { hashPassword } from '../../src/modules/identity/passwords.js';
import { secretBox } from '../../src/modules/identity/secret-box.js';
import { newTotpSecret } from '../../src/modules/identity/two-factor.js';
import { onBenchPostgres, postgresSkipped } from './postgres.js';

export const benchSecret = 'bench-secret-that-is-long-enough-0123456789';
export const benchPassword = 'benchmark password 2026';

/** The app's config for a bench: quiet, and sign-in not throttled (one user signs in per run). */
export function benchConfig(overrides: Parameters<typeof loadConfig>[1] = {}): Config {
  return loadConfig(
    { KINDRED_ENV: 'test', LOG_LEVEL: 'silent', KINDRED_SECRET: benchSecret },
    { signInAttemptsPerMinute: 1_000_000, ...overrides },
  );
}

export interface Stats {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  n: number;
}

export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted.at(-1) ?? 0, n: values.length };
}

export const ms = (n: number) => `${n.toFixed(1)} ms`;
/** "p50 …, p95 …, p99 …" in milliseconds. */
export const line = (s: Stats) => `p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}`;

/** Milliseconds of each of `runs` runs of `work`, one after another (no warm-up). */
export async function timedRuns(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  return times;
}

/** An active user with the password above and an enrolled TOTP secret, ready to sign in over HTTP. */
export async function createBenchUser(
  database: Database,
  config: Config,
  user: { organisationId: string; email: string; name: string; roles: Role[]; enrolledAt?: Date },
): Promise<{ userId: string; email: string; secret: string }> {
  const secret = newTotpSecret();
  const row = await database.db
    .insertInto('users')
    .values({
      organisation_id: user.organisationId,
      email: user.email,
      name: user.name,
      password_hash: await hashPassword(benchPassword),
      totp_secret_encrypted: secretBox(config.secret, 'totp-v1').seal(secret),
      totp_enrolled_at: user.enrolledAt ?? new Date(),
      status: 'active',
      throttled_until: null,
      last_sign_in_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('user_roles')
    .values(user.roles.map((role) => ({ user_id: row.id, role, granted_by: null })))
    .execute();
  return { userId: row.id, email: user.email, secret };
}

/** Runs `use` on a fresh PGlite in a temporary data directory, removed afterwards whatever happens. */
export async function onBenchPglite<T>(name: string, use: (database: Database) => Promise<T>): Promise<T> {
  const root = mkdtempSync(path.join(tmpdir(), `kindred-bench-${name}-`));
  try {
    const database = await openDatabase({ dataDir: path.join(root, 'data') });
    try {
      return await use(database);
    } finally {
      await database.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The bench on PGlite, then on PostgreSQL when a server is named (else the reason it was skipped). */
export async function onBothDatabases<T>(
  name: string,
  bench: (label: string, database: Database) => Promise<T>,
): Promise<{ results: T[]; skipped: string | undefined }> {
  const results = [await onBenchPglite(name, (database) => bench('PGlite', database))];
  const onPostgres = await onBenchPostgres((database, label) => bench(label, database));
  if (onPostgres) results.push(onPostgres);
  return { results, skipped: onPostgres ? undefined : postgresSkipped };
}

export const benchTimingSource = 'Server-Timing added by this bench (onRequest → onSend hook in the server)';

/**
 * Adds a `bench;dur=` Server-Timing header when Kindred sends none. `hooks` (the default) times
 * from routing (onRequest) to the reply being sent: session, queries, audit entry, rendering, not
 * the network. `elapsedTime` is Fastify's reply.elapsedTime, from the request's arrival.
 */
export function addBenchServerTiming(app: FastifyInstance, from: 'hooks' | 'elapsedTime' = 'hooks'): void {
  const started = new WeakMap<FastifyRequest, number>();
  if (from === 'hooks') {
    app.addHook('onRequest', async (request) => {
      started.set(request, performance.now());
    });
  }
  app.addHook('onSend', async (request, reply, payload) => {
    const t0 = started.get(request);
    const dur =
      from === 'elapsedTime' ? reply.elapsedTime : t0 === undefined ? undefined : performance.now() - t0;
    if (dur !== undefined && !reply.hasHeader('server-timing'))
      reply.header('server-timing', `bench;dur=${dur.toFixed(2)}`);
    return payload;
  });
}

/** Milliseconds from a Server-Timing header: Kindred's `total` if it names one, else the largest duration. */
export function serverTiming(header: string | null): { ms: number; own: boolean } | undefined {
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

/** The server time of a response, in milliseconds; throws when it carries none. */
export function serverMs(response: Response, what: string): number {
  const timing = serverTiming(response.headers.get('server-timing'));
  if (!timing) throw new Error(`${what}: no Server-Timing header`);
  return timing.ms;
}

/** Listens on a free local port; returns the base URL. */
export async function listenForBench(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** A page bench's last line: p95 server time on each database beside its count baseline, and the verdict. */
export function pagesSummary(
  name: string,
  results: Array<{ label: string; server: Stats; baseline: Stats }>,
  goalMs: number,
): string {
  const p95Of = (prefix: string) => results.find((r) => r.label.startsWith(prefix))?.server.p95;
  const part = (database: string, p95: number | undefined) =>
    p95 === undefined ? `${database} skipped` : `${database} p95 ${p95.toFixed(0)} ms`;
  const met = results.every((r) => r.server.p95 <= goalMs);
  return `${name}: ${part('PGlite', p95Of('PGlite'))}, ${part('PostgreSQL', p95Of('PostgreSQL'))} (baseline count p95 ${results.map((r) => ms(r.baseline.p95)).join(' / ')}) — goal ${met ? 'met' : 'NOT met'}`;
}
