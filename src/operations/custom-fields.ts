import { type AuditLog, recordAudit } from '../audit/index.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import { VARIABLES } from '../events/index.js';
import { CODE_NAME, checkShort } from '../sessions/index.js';
import type { CustomField } from '../store/custom-field-store.js';
import type { OperationsContext } from './context.js';

/*
 * Custom session attribute definitions, managed by administrators from the API, the command
 * line and the admin pages alike, each change audited. Values are set per session (the
 * sessions API's PUT …/attributes, the Command API's set_session_attributes).
 */

type Ctx = Pick<OperationsContext, 'store' | 'clock'>;

/** Who asked, for the audit log (`api:<token>`, `cli:<user>`, an administrator's name). */
export interface FieldChangedBy {
  actor: string;
  log: AuditLog;
}

export const MAX_DISPLAY_NAME_LENGTH = 255;

/** A definition as the API shows it. */
export const customFieldJson = (field: CustomField) => ({
  code_name: field.codeName,
  display_name: field.displayName,
  createdAt: new Date(field.createdAt).toISOString(),
});

export function listCustomFields(ctx: Ctx): Promise<CustomField[]> {
  return ctx.store.customFields.list();
}

export async function findCustomField(ctx: Ctx, codeName: string): Promise<CustomField> {
  const field = (await ctx.store.customFields.list()).find((f) => f.codeName === codeName);
  if (field === undefined) throw new NotFoundError(`no custom field with code name "${codeName}"`);
  return field;
}

/**
 * Code names a custom field may not take: a recipient with sendCustomFields sends each field as
 * a variable named by its code name after the guide's, so one of these would put a second
 * `lsid` (or `event`, `appliance_id`, …) in the body, and receivers read one or the other.
 */
const SHADOWED: ReadonlySet<string> = new Set([...Object.keys(VARIABLES), 'appliance_id']);

/** Checks a code name: lower case, as integrations send `session.custom.<code_name>`. */
export function checkCodeName(value: unknown): string {
  if (typeof value !== 'string' || !CODE_NAME.test(value)) {
    throw new InvalidInputError(
      'code_name must start with a-z and hold only a-z, 0-9 and _ (at most 64 characters)',
      'code_name',
    );
  }
  if (value === 'external_key') {
    throw new InvalidInputError(
      "code_name external_key is the session's external key, not a custom field",
      'code_name',
    );
  }
  if (SHADOWED.has(value)) {
    throw new InvalidInputError(
      `code_name ${value} is a variable of the outbound event; a custom field sent with events may not shadow it`,
      'code_name',
    );
  }
  return value;
}

export async function addCustomField(
  ctx: Ctx,
  input: { code_name: unknown; display_name: unknown },
  by: FieldChangedBy,
): Promise<CustomField> {
  const codeName = checkCodeName(input.code_name);
  if (typeof input.display_name !== 'string' || input.display_name.trim() === '') {
    throw new InvalidInputError('display_name must be a non-empty string', 'display_name');
  }
  const displayName = checkShort(input.display_name, 'display_name', MAX_DISPLAY_NAME_LENGTH);
  const field: CustomField = { codeName, displayName, createdAt: ctx.clock() };
  if (!(await ctx.store.customFields.add(field))) {
    throw new ConflictError(`a custom field with code name "${codeName}" already exists`, {
      field: 'code_name',
    });
  }
  await audit(ctx, by, 'custom-field.create', codeName, null, snapshot(field));
  return field;
}

/**
 * Removes a definition. Values already set on sessions stay in them (their reports keep what
 * was recorded); the code name can no longer be set.
 */
export async function removeCustomField(
  ctx: Ctx,
  codeName: string,
  by: FieldChangedBy,
): Promise<CustomField> {
  const field = await findCustomField(ctx, codeName);
  if (!(await ctx.store.customFields.remove(codeName))) {
    throw new NotFoundError(`no custom field with code name "${codeName}"`);
  }
  await audit(ctx, by, 'custom-field.delete', codeName, snapshot(field), null);
  return field;
}

const snapshot = (field: CustomField) => ({
  code_name: field.codeName,
  display_name: field.displayName,
});

async function audit(
  ctx: Ctx,
  by: FieldChangedBy,
  action: string,
  codeName: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await recordAudit(ctx.store.admin, by.log, {
    at: ctx.clock(),
    actor: by.actor,
    action,
    target: `custom field ${codeName}`,
    before,
    after,
  });
}
