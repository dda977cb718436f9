// bench/startup: time from process start to the first 200 from /health/ready, on a fresh data
// directory (migrations and the demo seed) and on an already-migrated one, beside a bare Fastify
// server started the same way in the same run (issue 2, benchmark). Goals on this 2-core
// machine: fresh ≤ 10 s, warm ≤ 3 s.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const runs = Number(process.env.BENCH_RUNS ?? 3);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function timeToReady(args: string[], env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
        if (response.status === 200) return (performance.now() - started) / 1000;
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 120_000) throw new Error('not ready after 120 s');
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const kindredEnv = (dataDir: string) => ({
  DATA_DIR: dataDir,
  KINDRED_ENV: 'development',
  KINDRED_SECRET: randomBytes(32).toString('hex'),
  LOG_LEVEL: 'warn',
});

const bare: number[] = [];
const fresh: number[] = [];
const warm: number[] = [];
for (let i = 0; i < runs; i += 1) {
  bare.push(await timeToReady(['bench/support/bare-fastify.mjs'], {}));
  const root = mkdtempSync(path.join(tmpdir(), 'kindred-bench-startup-'));
  const env = kindredEnv(path.join(root, 'data'));
  fresh.push(await timeToReady(['bin/kindred.mjs', 'start', '--demo'], env));
  warm.push(await timeToReady(['bin/kindred.mjs', 'start', '--demo'], env));
  rmSync(root, { recursive: true, force: true });
}

const b = median(bare);
const f = median(fresh);
const w = median(warm);
const goals = { fresh: 10, warm: 3 };
const s = (n: number) => `${n.toFixed(2)} s`;
const verdict = (value: number, goal: number) => `goal ≤ ${goal} s: ${value <= goal ? 'met' : 'NOT met'}`;
console.log(`median of ${runs} runs each, process spawn to the first 200 from /health/ready`);
console.log(
  `baseline — bare Fastify, one route:                   ${s(b)}  (runs: ${bare.map(s).join(', ')})`,
);
console.log(
  `Kindred, fresh data directory (migrate + demo seed):   ${s(f)}  ${(f / b).toFixed(1)}× bare  (runs: ${fresh.map(s).join(', ')})  ${verdict(f, goals.fresh)}`,
);
console.log(
  `Kindred, already-migrated data directory:              ${s(w)}  ${(w / b).toFixed(1)}× bare  (runs: ${warm.map(s).join(', ')})  ${verdict(w, goals.warm)}`,
);
const met = f <= goals.fresh && w <= goals.warm;
console.log(
  `startup: fresh ${f.toFixed(1)} s (${(f / b).toFixed(1)}× bare), warm ${w.toFixed(1)} s (${(w / b).toFixed(1)}× bare) — ${met ? 'goals met' : 'goals NOT met'}`,
);
