import { X509Certificate } from 'node:crypto';
import { canonicalEventName, type EventName } from '../events/index.js';
import type { RepSurveyEventName } from '../types.js';
import { invalid } from './errors.js';

/* Checks of single recipient fields, as given in the API's JSON shape. */

export function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw invalid(`${field} must be a non-empty string`, field);
  if (value.length > max) throw invalid(`${field} must be at most ${max} characters`, field);
  if (value.includes('\0')) throw invalid(`${field} must not contain NUL (U+0000)`, field);
  return value;
}

export function url(value: unknown): string {
  const given = text(value, 'url', 4096);
  let parsed: URL;
  try {
    parsed = new URL(given);
  } catch {
    throw invalid('url must be an absolute http:// or https:// URL', 'url');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalid('url must be an absolute http:// or https:// URL', 'url');
  }
  if (parsed.hash !== '') throw invalid('url must not have a #fragment (it is never sent)', 'url');
  // Stored exactly as given: integrations authenticate with the query string.
  return given;
}

export function bool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalid(`${field} must be true or false`, field);
  return value;
}

export function events(value: unknown): EventName[] | 'all' {
  if (value === 'all') return 'all';
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid('events must be "all" or a non-empty array of event names', 'events');
  }
  const names = new Set<EventName>();
  for (const item of value) {
    const name = typeof item === 'string' ? canonicalEventName(item) : undefined;
    if (name === undefined) throw invalid(`events: unknown event "${String(item)}"`, 'events');
    names.add(name);
  }
  return [...names];
}

/** A number of seconds within [min, max], as milliseconds. */
export function seconds(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalid(`${field} must be a number of seconds from ${min} to ${max}`, field);
  }
  return Math.round(value * 1000);
}

export function certificate(value: unknown): string | null {
  if (value === null) return null;
  const pem = text(value, 'caCertificate', 256 * 1024);
  try {
    new X509Certificate(pem);
  } catch {
    throw invalid(
      'caCertificate must be a PEM certificate (-----BEGIN CERTIFICATE-----)',
      'caCertificate',
    );
  }
  return pem;
}

/** Which name the representative exit survey goes out under (CONTRACT §7). */
export function repSurveyEventName(value: unknown): RepSurveyEventName {
  if (value !== 'guide' && value !== 'rep') {
    throw invalid('repSurveyEventName must be "guide" or "rep"', 'repSurveyEventName');
  }
  return value;
}
