import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('configuration (issue 2 §4, §9)', () => {
  it('has safe development defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      environment: 'development',
      port: 3000,
      host: '127.0.0.1',
      tls: false,
      demo: false,
    });
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.sessionIdleSeconds).toBe(1800);
    expect(config.sessionAbsoluteSeconds).toBe(43200);
  });

  it.each([
    [{ PORT: 'eighty' }, /^Setting PORT is not valid/],
    [{ LOG_LEVEL: 'loud' }, /^Setting LOG_LEVEL is not valid/],
    [{ KINDRED_ENV: 'staging' }, /^Setting KINDRED_ENV is not valid/],
    [
      { DATABASE_URL: 'mysql://localhost/kindred' },
      /^Setting DATABASE_URL is not valid: must start with postgres:\/\//,
    ],
    [{ KINDRED_SECRET: 'short' }, /^Setting KINDRED_SECRET is not valid: must be at least 32 characters/],
    [{ KINDRED_DEMO: 'perhaps' }, /^Setting KINDRED_DEMO is not valid/],
    [{ KINDRED_JOBS: 'sometimes' }, /^Setting KINDRED_JOBS is not valid: must be on or off\./],
    [
      { KINDRED_ENQUIRY_RETENTION_MONTHS: 'two years' },
      /^Setting KINDRED_ENQUIRY_RETENTION_MONTHS is not valid: must be a whole number of months/,
    ],
    [
      { KINDRED_ENQUIRY_RETENTION_MONTHS: '1' },
      /^Setting KINDRED_ENQUIRY_RETENTION_MONTHS is not valid: must be at least 2 months/,
    ],
    [{ KINDRED_DATADIR: '/tmp/x' }, /^Unknown setting KINDRED_DATADIR\. Known settings are/],
  ])('refuses %o with one sentence naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrowError(message);
  });

  it('refuses to run production without a secret, a database server, mail, or with demo data', () => {
    const production = {
      KINDRED_ENV: 'production',
      KINDRED_SECRET: 'x'.repeat(40),
      DATABASE_URL: 'postgres://kindred@db/kindred',
      SMTP_URL: 'smtp://mail:25',
    };
    expect(() => loadConfig(production)).not.toThrow();
    expect(() => loadConfig({ ...production, KINDRED_SECRET: '' })).toThrowError(
      'Setting KINDRED_SECRET is required in production.',
    );
    expect(() => loadConfig({ ...production, DATABASE_URL: '' })).toThrowError(
      /DATABASE_URL is required in production/,
    );
    expect(() => loadConfig({ ...production, SMTP_URL: '' })).toThrowError(/SMTP_URL is required/);
    expect(() => loadConfig({ ...production, KINDRED_DEMO: 'true' })).toThrowError(
      'Demo mode cannot run in production.',
    );
  });

  it('runs job workers by default, except in tests unless asked', () => {
    expect(loadConfig({}).jobs).toBe(true);
    expect(loadConfig({ KINDRED_JOBS: 'off' }).jobs).toBe(false);
    expect(loadConfig({ KINDRED_ENV: 'test' }).jobs).toBe(false);
    expect(loadConfig({ KINDRED_ENV: 'test', KINDRED_JOBS: 'on' }).jobs).toBe(true);
  });

  it('keeps enquiries from people who never register for 24 months unless told otherwise', () => {
    expect(loadConfig({}).enquiryRetentionMonths).toBe(24);
    expect(loadConfig({ KINDRED_ENQUIRY_RETENTION_MONTHS: '36' }).enquiryRetentionMonths).toBe(36);
  });

  it('turns on TLS behaviour when users reach Kindred over https', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://kindred.example.gov.uk' }).tls).toBe(true);
  });
});
