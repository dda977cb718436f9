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
  /** Sends SIGTERM and resolves with the exit code once the server has finished (null if killed). */
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
  const giveUp = async (reason: string): Promise<never> => {
    child.kill('SIGKILL');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${reason}:\n${output}`);
  };
  for (;;) {
    if (child.exitCode !== null) return giveUp(`Kindred exited during start-up with code ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/health/ready`)).ok && output.includes('Kindred is running')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) return giveUp('Kindred did not become ready within 90 seconds');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      // A server that has not finished 20 seconds after SIGTERM is killed: that is a failure.
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(killer);
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
