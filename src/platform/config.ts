// The only reader of process.env. Development has safe defaults; production fails fast
// on anything missing or unknown, with one sentence naming the setting.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from './http/errors.js';

const environments = ['development', 'test', 'production'] as const;
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const envSchema = z.object({
  KINDRED_ENV: z.enum(environments).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  KINDRED_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Kindred <no-reply@kindred.invalid>'),
  KINDRED_DEMO: booleanFlag.default(false),
  /** Whether this process runs job workers and schedules; on by default except in tests. */
  KINDRED_JOBS: z.enum(['on', 'off'], 'must be on or off').optional(),
  TRUST_PROXY: booleanFlag.default(false),
  /** Months after which an enquirer who never registered is deleted (issue 5 §6); minimised at half. */
  KINDRED_ENQUIRY_RETENTION_MONTHS: z.coerce
    .number({ error: 'must be a whole number of months' })
    .int('must be a whole number of months')
    .min(2, 'must be at least 2 months')
    .max(120, 'must be at most 120 months')
    .default(24),
});

export type Environment = (typeof environments)[number];

export interface Config {
  environment: Environment;
  port: number;
  host: string;
  /** Absolute path of the PGlite data directory; unused when databaseUrl is set. */
  dataDir: string;
  databaseUrl: string | undefined;
  publicUrl: string;
  /** True when users reach Kindred over HTTPS: cookies become Secure and __Host- prefixed, HSTS is sent. */
  tls: boolean;
  logLevel: (typeof logLevels)[number];
  /** Key material for session tokens, CSRF and the audit chain's HMAC. */
  secret: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Demo mode: synthetic region, visible banner, second factor may be skipped (issue 3 §8). */
  demo: boolean;
  /**
   * Run job workers, schedules and queue maintenance in this process (KINDRED_JOBS). When off, jobs
   * can still be sent; they wait for a process with jobs on, or for a test's `runDue` (src/platform/jobs).
   */
  jobs: boolean;
  trustProxy: boolean;
  /** Session lifetimes (security.md AU-5). */
  sessionIdleSeconds: number;
  sessionAbsoluteSeconds: number;
  /** Per-IP limit on sign-in, second-factor and password-reset posts (issue 3 §1). */
  signInAttemptsPerMinute: number;
  /** Months before an enquirer who never registered is deleted (KINDRED_ENQUIRY_RETENTION_MONTHS). */
  enquiryRetentionMonths: number;
}

const knownKeys = new Set(Object.keys(envSchema.shape));

/**
 * Builds the configuration from an environment (process.env by default).
 * Unknown KINDRED_* variables are refused so a typo never silently falls back to a default.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  for (const key of Object.keys(env)) {
    if (key.startsWith('KINDRED_') && !knownKeys.has(key)) {
      throw new AppError(
        'config',
        `Unknown setting ${key}. Known settings are ${[...knownKeys].filter((k) => k.startsWith('KINDRED_')).join(', ')}.`,
      );
    }
  }
  const picked: Record<string, string> = {};
  for (const key of knownKeys) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? 'configuration');
    throw new AppError('config', `Setting ${key} is not valid: ${issue?.message ?? 'invalid value'}.`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  if (e.KINDRED_ENV === 'production') {
    if (!e.KINDRED_SECRET) throw new AppError('config', 'Setting KINDRED_SECRET is required in production.');
    if (!e.DATABASE_URL)
      throw new AppError(
        'config',
        'Setting DATABASE_URL is required in production: run PostgreSQL, not PGlite.',
      );
    if (!e.SMTP_URL) throw new AppError('config', 'Setting SMTP_URL is required in production.');
    if (e.KINDRED_DEMO) throw new AppError('config', 'Demo mode cannot run in production.');
  }
  const config: Config = {
    environment: e.KINDRED_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    publicUrl,
    tls: publicUrl.startsWith('https://'),
    logLevel: e.LOG_LEVEL,
    secret: e.KINDRED_SECRET ?? '',
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    demo: e.KINDRED_DEMO,
    jobs: (e.KINDRED_JOBS ?? (e.KINDRED_ENV === 'test' ? 'off' : 'on')) === 'on',
    trustProxy: e.TRUST_PROXY,
    sessionIdleSeconds: 30 * 60,
    sessionAbsoluteSeconds: 12 * 60 * 60,
    signInAttemptsPerMinute: 20,
    enquiryRetentionMonths: e.KINDRED_ENQUIRY_RETENTION_MONTHS,
    ...overrides,
  };
  return config;
}

/**
 * Outside production a secret is generated once and kept beside the data (mode 0600),
 * so sessions survive a restart without anyone having to invent a key.
 */
export function ensureDevelopmentSecret(config: Config): Config {
  if (config.secret) return config;
  if (config.environment === 'production')
    throw new AppError('config', 'Setting KINDRED_SECRET is required.');
  const file = path.join(config.dataDir, '.kindred-secret');
  if (existsSync(file)) return { ...config, secret: readFileSync(file, 'utf8').trim() };
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return { ...config, secret };
}
