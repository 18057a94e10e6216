import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/delivery/retry-after.js';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Mon, 01 Jan 2024 12:00:30 GMT', 30_000],
    ['Monday, 01-Jan-24 12:01:00 GMT', 60_000],
    ['Mon Jan  1 12:00:05 2024', 5000],
    ['Mon, 01 Jan 2024 11:00:00 GMT', 0],
    ['', null],
    ['-5', null],
    ['1.5', null],
    ['soon', null],
  ])('%j → %s', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it('reads the first of repeated headers, and null when absent', () => {
    expect(parseRetryAfter(['3', '9'], NOW)).toBe(3000);
    expect(parseRetryAfter(undefined, NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });
});
