// Live progress of the SSDA903 imports running in this process (issue 9 §1), for the job page.
// An import is one all-or-nothing transaction; on PGlite that transaction holds the only database
// session until it commits, so progress cannot be written to the ssda903_imports row while it
// runs. The job records its progress here instead, synchronously, and the job page overlays these
// figures on the row it has loaded through its scoped lookup. On PGlite the web server and the job
// worker are always one process (the data directory is locked to one process, client.ts), so this
// is the whole truth there. On PostgreSQL a web process may run with KINDRED_JOBS=off beside a
// separate worker, so the job still writes its progress to the row there (import.jobs.ts).
// Holds counts only, never a child's details.
import type { ImportStage } from './import.service.js';

export interface LiveProgress {
  stage: ImportStage;
  done: number;
  total: number;
  updatedAt: Date;
}

const running = new Map<string, LiveProgress>();

/** Records where an import has got to; `done` is kept within 0 … total. */
export function reportProgress(
  importId: string,
  progress: { stage: ImportStage; done: number; total: number },
  now: Date = new Date(),
): void {
  const total = Math.max(0, Math.floor(progress.total));
  const done = Math.min(Math.max(0, Math.floor(progress.done)), total);
  running.set(importId, { stage: progress.stage, done, total, updatedAt: now });
}

/** Where the import has got to, if it is running in this process. */
export function progressOf(importId: string): LiveProgress | undefined {
  const found = running.get(importId);
  return found ? { ...found } : undefined;
}

/** Forgets an import whose job has ended, however it ended. */
export function endProgress(importId: string): void {
  running.delete(importId);
}

/** How many imports are running in this process (for tests and diagnostics). */
export function runningImports(): number {
  return running.size;
}
