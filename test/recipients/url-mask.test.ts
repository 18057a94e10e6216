import { describe, expect, it } from 'vitest';
import { maskUrl } from '../../src/recipients/index.js';

describe('maskUrl', () => {
  it('masks the password of the user-info and keeps the user', () => {
    expect(maskUrl('https://bob:hunter2@hooks.example/in')).toBe(
      'https://bob:•••@hooks.example/in',
    );
  });

  it('masks every value of a credential-like query parameter, keeping the others', () => {
    const masked = maskUrl('https://h.example/in?token=abc&x=1&api_key=k1&api_key=k2&sig=zz');
    expect(masked).toBe('https://h.example/in?token=•••&x=1&api_key=•••&api_key=•••&sig=•••');
    for (const secret of ['abc', 'k1', 'k2', 'zz']) expect(masked).not.toContain(secret);
  });

  it('returns a URL with nothing secret unchanged, byte for byte', () => {
    const url = 'https://h.example/a%20b?page=2&q=x+y';
    expect(maskUrl(url)).toBe(url);
  });

  it('returns text that is not a URL as given', () => {
    expect(maskUrl('not a url')).toBe('not a url');
  });
});
