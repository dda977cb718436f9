import { describe, expect, it } from 'vitest';
import { endProgress, progressOf, reportProgress, runningImports } from './import-progress.js';

describe('the live progress of imports running in this process', () => {
  it('keeps the latest figures of each import, apart, until its job ends', () => {
    const before = runningImports();
    const at = new Date('2026-11-02T10:00:00Z');
    reportProgress('import-a', { stage: 'validating', done: 10, total: 300 }, at);
    reportProgress('import-b', { stage: 'importing', done: 5000, total: 80000 }, at);
    reportProgress('import-a', { stage: 'importing', done: 12000, total: 80000 }, at);
    expect(progressOf('import-a')).toEqual({ stage: 'importing', done: 12000, total: 80000, updatedAt: at });
    expect(progressOf('import-b')).toMatchObject({ stage: 'importing', done: 5000 });
    expect(runningImports()).toBe(before + 2);
    endProgress('import-a');
    expect(progressOf('import-a')).toBeUndefined();
    expect(progressOf('import-b')).toBeDefined();
    endProgress('import-b');
    endProgress('import-b');
    expect(runningImports()).toBe(before);
  });

  it('keeps the figure done within 0 and the total', () => {
    reportProgress('import-c', { stage: 'writing', done: 150, total: 100 });
    expect(progressOf('import-c')).toMatchObject({ done: 100, total: 100 });
    reportProgress('import-c', { stage: 'writing', done: -3, total: 100 });
    expect(progressOf('import-c')).toMatchObject({ done: 0 });
    endProgress('import-c');
  });

  it('gives a copy, so a reader cannot change what the job reported', () => {
    reportProgress('import-d', { stage: 'importing', done: 1, total: 2 });
    const read = progressOf('import-d')!;
    read.done = 2;
    expect(progressOf('import-d')!.done).toBe(1);
    endProgress('import-d');
  });
});
