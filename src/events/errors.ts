/** An event that is not valid schema 1. `field` names the variable at fault, when one is. */
export class EventValidationError extends Error {
  readonly code = 'OUTBOUND_INVALID_EVENT';
  readonly field: string | undefined;

  constructor(message: string, field?: string) {
    super(message);
    this.name = 'EventValidationError';
    this.field = field;
  }
}
