import { randomUUID } from 'node:crypto';

/**
 * A new Logging Session ID: 32 hex digits, like the appliance's own, random so that several
 * processes (and imported sessions) never collide. Always handled as a string.
 */
export function newLsid(): string {
  return randomUUID().replaceAll('-', '');
}
