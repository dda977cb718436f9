#!/usr/bin/env node
// `npm test`: the unit and integration suites on PGlite; again on PostgreSQL when
// TEST_DATABASE_URL is set; then the browser tests when Chromium is installed. Ends with one
// line, "N passed, N failed", summed over every run.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const resultsDir = path.resolve('test-results');
mkdirSync(resultsDir, { recursive: true });
const extraArgs = process.argv.slice(2);

function run(label, args, env) {
  return new Promise((resolve) => {
    process.stdout.write(`\n── ${label} ──\n`);
    const child = spawn('npx', ['vitest', 'run', ...args], {
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(1));
  });
}

function countsFrom(file) {
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return {
    passed: report.numPassedTests ?? 0,
    failed: report.numFailedTests ?? 0,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    failedSuites: report.numFailedTestSuites ?? 0,
  };
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let crashed = false;

async function suite(label, args, env, jsonName) {
  const json = path.join(resultsDir, jsonName);
  rmSync(json, { force: true });
  const code = await run(
    label,
    [...args, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`],
    env,
  );
  const counts = countsFrom(json);
  if (!counts) {
    process.stdout.write(`${label}: the test runner stopped before reporting (exit code ${code}).\n`);
    crashed = true;
    return;
  }
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  if (code !== 0 && counts.failed === 0) {
    // A suite that failed to load counts as a failure even when no test inside it ran.
    totals.failed += Math.max(1, counts.failedSuites);
  }
}

await suite(
  'Unit and integration tests on PGlite',
  extraArgs,
  { TEST_DRIVER: 'pglite' },
  'vitest-pglite.json',
);

if (process.env.TEST_DATABASE_URL) {
  await suite(
    'Unit and integration tests on PostgreSQL',
    extraArgs,
    { TEST_DRIVER: 'postgres' },
    'vitest-postgres.json',
  );
} else {
  process.stdout.write(
    '\nPostgreSQL run skipped: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run the suites on a real server too.\n',
  );
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(chromium)) {
  await suite(
    'Browser tests (Chromium, axe-core)',
    ['-c', 'vitest.e2e.config.ts'],
    { CHROMIUM_PATH: chromium },
    'vitest-e2e.json',
  );
} else {
  process.stdout.write(
    `\nBrowser tests skipped: no Chromium found at ${chromium} (install Debian's chromium package or set CHROMIUM_PATH).\n`,
  );
}

const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed${skipped}\n`);
process.exitCode = totals.failed > 0 || crashed ? 1 : 0;
