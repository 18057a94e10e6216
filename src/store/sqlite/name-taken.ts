import { NameTakenError } from '../errors.js';

/**
 * SQLite's refusal of a recipient name already used (the UNIQUE constraint on
 * recipients.name), as NameTakenError; any other error as it is.
 */
export function asNameTaken(error: unknown, name: string): unknown {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (
    code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    typeof message === 'string' &&
    message.includes('recipients.name')
  ) {
    return new NameTakenError('recipient', name, { cause: error });
  }
  return error;
}
