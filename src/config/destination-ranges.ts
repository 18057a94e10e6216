import { parseRange, RangeSyntaxError } from '../delivery/destination-policy.js';
import { ConfigError } from './config-error.js';

/**
 * `destinationAllow` / `destinationDeny`: addresses and CIDR ranges, comma-separated in the
 * environment, a JSON list (or the same string) in the file. Each entry is parsed now, so that
 * a typo stops start-up with the setting and the entry named instead of leaving a hole.
 */
export function parseDestinationRanges(value: unknown, where: string): string[] {
  const entries = (Array.isArray(value) ? value : String(value).split(','))
    .map((entry) => String(entry).trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    try {
      parseRange(entry);
    } catch (error) {
      if (error instanceof RangeSyntaxError) throw new ConfigError(`${where}: ${error.message}`);
      throw error;
    }
  }
  return entries;
}
