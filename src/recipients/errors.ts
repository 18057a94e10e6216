import { InvalidInputError } from '../errors.js';

/**
 * A recipient setting that is not valid. `field` names it as the API spells it
 * (`timeoutSeconds`, `headers.X-Key`); the API answers 400 `bad_request` with it (it is an
 * `InvalidInputError`), the admin form shows the message next to that field, the CLI prints it.
 */
export class RecipientSettingsError extends InvalidInputError {
  constructor(message: string, field?: string) {
    super(message, field);
    this.name = 'RecipientSettingsError';
  }
}

export const invalid = (message: string, field?: string) =>
  new RecipientSettingsError(message, field);
