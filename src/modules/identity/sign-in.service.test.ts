import { describe, expect, it } from 'vitest';
import { NoAccountThrottle, throttleMessage, throttleSecondsAfter } from './sign-in.service.js';

describe('account throttling (AU-3)', () => {
  it.each([
    [1, 0],
    [4, 0],
    [5, 60],
    [6, 120],
    [7, 240],
    [8, 480],
    [9, 900],
    [50, 900],
  ])(
    'after %i consecutive failures the account waits %i seconds (1 minute, doubling, at most 15)',
    (failures, seconds) => {
      expect(throttleSecondsAfter(failures)).toBe(seconds);
    },
  );

  it.each([
    [1_000, 'Wait 1 minute'],
    [60_000, 'Wait 1 minute'],
    [60_001, 'Wait 2 minutes'],
    [900_000, 'Wait 15 minutes'],
  ])('rounds %i ms left up to whole minutes: %s', (ms, text) => {
    const now = new Date('2026-03-02T10:00:00Z');
    expect(throttleMessage(new Date(now.getTime() + ms), now)).toBe(
      `You have tried to sign in too many times. ${text}, then try again.`,
    );
  });

  it('slows an address with no account exactly as it would a real one, whatever its case', () => {
    const throttle = new NoAccountThrottle();
    const now = new Date('2026-03-02T10:00:00Z');
    for (let i = 1; i < 5; i += 1) expect(throttle.recordFailure('Nobody@Example.test', now)).toBe(null);
    expect(throttle.recordFailure('nobody@example.test', now)).toEqual(new Date(now.getTime() + 60_000));
    expect(throttle.current('NOBODY@example.test', now)).toEqual(new Date(now.getTime() + 60_000));
    expect(throttle.current('someone-else@example.test', now)).toBe(null);
    const later = new Date(now.getTime() + 61_000);
    expect(throttle.current('nobody@example.test', later)).toBe(null);
    expect(throttle.recordFailure('nobody@example.test', later)).toEqual(new Date(later.getTime() + 120_000));
  });

  it('forgets the longest-quiet addresses first once full, so memory stays bounded', () => {
    const throttle = new NoAccountThrottle(3);
    const now = new Date('2026-03-02T10:00:00Z');
    for (let i = 0; i < 5; i += 1) throttle.recordFailure('a@example.test', now);
    for (const other of ['b', 'c', 'd']) throttle.recordFailure(`${other}@example.test`, now);
    expect(throttle.current('a@example.test', now)).toBe(null);
  });
});
