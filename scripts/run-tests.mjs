#!/usr/bin/env node
// `npm test`: the unit and integration suites on PGlite; again on PostgreSQL when
// TEST_DATABASE_URL is set; then the browser tests when Chromium is installed. Ends with one
// line, "N passed, N failed", summed over every run. Extra arguments (`npm test -- some/file`)
// go to the first run only, to run part of the unit and integration suites quickly.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const resultsDir = path.resolve('test-results');
mkdirSync(resultsDir, { recursive: true });
const extraArgs = process.argv.slice(2);
// .ci/run looks for this file to tell whether the test runs happened at all.
const summaryFile = path.join(resultsDir, 'summary.txt');
rmSync(summaryFile, { force: true });

const vitestEntry = path.resolve('node_modules/vitest/vitest.mjs');
let current;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    current?.kill(signal);
    process.exit(1);
  });
}

function run(label, args, env) {
  return new Promise((resolve) => {
    process.stdout.write(`\n── ${label} ──\n`);
    const [command, commandArgs] = existsSync(vitestEntry)
      ? [process.execPath, [vitestEntry, 'run', ...args]]
      : ['npx', ['vitest', 'run', ...args]];
    current = spawn(command, commandArgs, { stdio: 'inherit', env: { ...process.env, ...env } });
    current.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    current.on('error', (error) => {
      process.stdout.write(`${label}: could not start Vitest: ${error.message}\n`);
      resolve(1);
    });
  });
}

function countsFrom(file) {
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  // A test file that failed without a failing test (it did not load, or a hook failed).
  const brokenFiles = (report.testResults ?? []).filter(
    (file) =>
      file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + brokenFiles,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let crashed = false;

async function suite(label, args, env, name) {
  const json = path.join(resultsDir, `vitest-${name}.json`);
  rmSync(json, { force: true });
  // Reporters given on the command line replace the config's, so CI's JUnit file is asked for
  // here, one per run.
  const junit = process.env.CI
    ? ['--reporter=junit', `--outputFile.junit=${path.join(resultsDir, `junit-${name}.xml`)}`]
    : [];
  const code = await run(
    label,
    [...args, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`, ...junit],
    env,
  );
  let counts;
  try {
    counts = countsFrom(json);
  } catch (error) {
    process.stdout.write(`${label}: could not read ${json}: ${error.message}\n`);
  }
  if (!counts) {
    process.stdout.write(
      `${label}: the test runner stopped before reporting (exit code ${code}); counted as one failure.\n`,
    );
    crashed = true;
    totals.failed += 1;
    return;
  }
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  if (code !== 0 && counts.failed === 0) {
    // Vitest failed the run without a failing test or file (an unhandled error, say).
    process.stdout.write(`${label}: Vitest exited with code ${code}; counted as one failure.\n`);
    totals.failed += 1;
  }
}

await suite('Unit and integration tests on PGlite', extraArgs, { TEST_DRIVER: 'pglite' }, 'pglite');

if (process.env.TEST_DATABASE_URL) {
  await suite('Unit and integration tests on PostgreSQL', [], { TEST_DRIVER: 'postgres' }, 'postgres');
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
    'e2e',
  );
} else {
  process.stdout.write(
    `\nBrowser tests skipped: no Chromium found at ${chromium} (install Debian's chromium package or set CHROMIUM_PATH).\n`,
  );
}

const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
const summary = `${totals.passed} passed, ${totals.failed} failed${skipped}`;
writeFileSync(summaryFile, `${summary}\n`);
process.stdout.write(`\n${summary}\n`);
process.exitCode = totals.failed > 0 || crashed ? 1 : 0;
