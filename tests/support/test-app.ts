// The real application on a real database for integration tests: HTTP through Fastify's
// inject (or a real port), nothing of ours mocked.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/platform/app.js';
import { loadConfig, type Config } from '../../src/platform/config.js';
import type { Database } from '../../src/platform/db/client.js';
import type { Mailer, OutgoingMail } from '../../src/platform/mail/mailer.js';
import { createTestDatabase } from './test-database.js';

export interface TestClock {
  now(): Date;
  set(date: Date | string): void;
  advance(milliseconds: number): void;
}

export function createClock(start: Date | string = '2026-11-02T10:00:00Z'): TestClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (date) => {
      current = new Date(date).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  config: Config;
  clock: TestClock;
  /** Every structured log line the app wrote, for tests that prove what is never logged. */
  logs: string[];
  /** Mail "sent" through the in-memory mailer (tests that need real SMTP start smtp-server instead). */
  sentMail: OutgoingMail[];
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return loadConfig(
    { KINDRED_ENV: 'test', LOG_LEVEL: 'info', KINDRED_SECRET: 'test-secret-that-is-long-enough-0123456789' },
    // Tests sign in many times from one address; the per-IP limit has a test of its own.
    { dataDir: '/nonexistent-kindred-test-data', signInAttemptsPerMinute: 10_000, ...overrides },
  );
}

export async function createTestApp(
  options: { config?: Partial<Config>; mailer?: Mailer; database?: Database } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = testConfig(options.config);
  const clock = createClock();
  const logs: string[] = [];
  const sentMail: OutgoingMail[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString());
      callback();
    },
  });
  const mailer: Mailer = options.mailer ?? {
    send: async (mail) => {
      sentMail.push(mail);
    },
    describe: () => 'memory',
  };
  const app = await buildApp({ config, database, clock: clock.now, mailer, logStream });
  await app.ready();
  return {
    app,
    database,
    config,
    clock,
    logs,
    sentMail,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
