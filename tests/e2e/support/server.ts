// Starts the real Kindred server (`kindred start --demo`) on a free port with a fresh data
// directory, as a user would, and stops it with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RunningKindred {
  baseUrl: string;
  output: () => string;
  /** Sends SIGTERM and resolves with the exit code once the server has finished. */
  stop(): Promise<number | null>;
}

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

export async function startKindred(): Promise<RunningKindred> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kindred-e2e-'));
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['bin/kindred.mjs', 'start', '--demo'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: path.join(dataDir, 'data'),
      KINDRED_ENV: 'development',
      KINDRED_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 90_000;
  const baseUrl = `http://localhost:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Kindred exited during start-up:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/health/ready`)).ok && output.includes('Kindred is running')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`Kindred did not become ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
