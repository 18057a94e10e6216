import { describe, expect, it } from 'vitest';
import { formatRelative } from '../../src/admin/format.js';
import { timeTag } from '../../src/admin/time-tag.js';

const NOW = Date.UTC(2026, 10, 24, 9, 30, 0);
const S = 1000;

describe('times in the admin pages', () => {
  it('read relative in the largest unit, past and future, the day itself beyond two months', () => {
    expect(formatRelative(NOW - 2 * S, NOW)).toBe('just now');
    expect(formatRelative(NOW - 42 * S, NOW)).toBe('42 s ago');
    expect(formatRelative(NOW + 42 * S, NOW)).toBe('in 42 s');
    expect(formatRelative(NOW - 5 * 60 * S - 59 * S, NOW)).toBe('5 min ago');
    expect(formatRelative(NOW - 3 * 3600 * S, NOW)).toBe('3 h ago');
    expect(formatRelative(NOW - 2 * 86_400 * S, NOW)).toBe('2 d ago');
    expect(formatRelative(NOW - 90 * 86_400 * S, NOW)).toBe('2026-08-26');
  });

  it('are a <time> with the exact UTC time on hover, or a dash for none', () => {
    expect(timeTag(NOW - 90 * S, NOW).text).toBe(
      '<time datetime="2026-11-24T09:28:30.000Z" title="2026-11-24 09:28:30 UTC">1 min ago</time>',
    );
    expect(timeTag(null, NOW).text).toBe('—');
  });
});
