import { NameTakenError } from '../errors.js';

/**
 * PostgreSQL's refusal of a recipient name already used (unique_violation on the constraint
 * that `name TEXT NOT NULL UNIQUE` created), as NameTakenError; any other error as it is.
 */
export function asNameTaken(error: unknown, name: string): unknown {
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  if (code === '23505' && constraint === 'recipients_name_key') {
    return new NameTakenError('recipient', name, { cause: error });
  }
  return error;
}
