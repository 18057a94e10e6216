import { userInfo } from 'node:os';

/*
 * Who made a change, as the audit log names them. An administrator's name for the admin pages
 * (letters, digits and . _ @ - only: never a colon), so the prefixed forms below cannot be
 * mistaken for one.
 */

/** A change through the API: `api:` and the name of the token the request carried. */
export const apiActor = (tokenName: string | undefined): string => `api:${tokenName ?? '?'}`;

/** A change at the command line: `cli:` and the OS user who ran it. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    // No user name for this uid (a container without /etc/passwd entry).
    return `cli:uid-${process.getuid?.() ?? '?'}`;
  }
}
