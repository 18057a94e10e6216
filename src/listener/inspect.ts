import {
  canonicalEventName,
  decodeFormBody,
  type EventName,
  EventValidationError,
  FORM_CONTENT_TYPE,
  fieldsOf,
  requiredVariablesOf,
  SCHEMA_1,
  VARIABLES,
  type VariableName,
  validateEvent,
} from '../events/index.js';
import { APPLIANCE_ID, checkedValue, isCustomFieldName } from '../receiver/wire-extras.js';
import { type RecipientOptionsSeen, recipientOptionsSeen } from './recipient-options.js';

/** One HTTP request as the listener received it. */
export interface IncomingRequest {
  method: string;
  /** Path and query string, as sent. */
  path: string;
  /** Media type and parameters, as sent; undefined when the header is absent. */
  contentType: string | undefined;
  body: Buffer;
  /** The body was cut at the listener's size limit. */
  truncated?: boolean;
}

/** What a request carried, and everything about it that schema 1 would not accept. */
export interface Inspection {
  /** The `event` variable as sent, when there is one. */
  event: string | undefined;
  lsid: string | undefined;
  /** Every variable in the order sent; a repeated variable keeps its first value. */
  variables: Record<string, string>;
  /** Human-readable, one per thing wrong, e.g. `unknown field "foo"`. */
  problems: string[];
  /** `event` names a schema-1 event (the guide's name or its alias). */
  isEvent: boolean;
  /** The body as text, when it could not be read as a form (e.g. JSON). */
  rawBody?: string;
  /** The recipient options that would send what came (the deployed survey name, extras). */
  recipientOptions?: RecipientOptionsSeen;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks a request against schema 1 as a recipient would receive it. Unlike `decodeEvent`,
 * which stops at the first error, it lists every problem it can name, because it is a
 * debugging aid: the request is answered anyway.
 */
export function inspectRequest(request: IncomingRequest): Inspection {
  const problems: string[] = [];
  if (request.method !== 'POST') problems.push(`not a POST (${request.method})`);

  const mediaType = request.contentType?.split(';')[0]?.trim().toLowerCase();
  const formEncoded = mediaType === FORM_CONTENT_TYPE;
  // A GET without a body has no content type to get wrong.
  if (!formEncoded && (request.method === 'POST' || request.body.length > 0)) {
    problems.push(`not form-encoded (content-type ${request.contentType ?? 'absent'})`);
  }
  const charset = /;\s*charset="?([^";\s]+)/i.exec(request.contentType ?? '')?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    problems.push(`charset ${charset} is not UTF-8`);
  }
  if (request.truncated) problems.push('body too large (the rest was ignored)');

  let text: string;
  try {
    text = UTF8.decode(request.body);
  } catch {
    problems.push('body is not valid UTF-8');
    text = request.body.toString('utf8');
  }

  const empty: Inspection = {
    event: undefined,
    lsid: undefined,
    variables: Object.create(null),
    problems,
    isEvent: false,
  };
  if (text.length === 0) {
    if (request.method === 'POST') problems.push('empty body');
    return empty;
  }
  // A JSON body read as a form would only give one nonsense variable: show it as it is.
  if (!formEncoded && /^\s*[[{]/.test(text)) return { ...empty, rawBody: text };

  const variables = readForm(text, problems);
  const event = variables.event;
  const lsid = variables.lsid;
  const name = event === undefined ? undefined : canonicalEventName(event);
  if (event === undefined) problems.push('missing variable event');
  else if (name === undefined) problems.push(`unknown event "${event}"`);

  let recipientOptions: RecipientOptionsSeen | undefined;
  if (name !== undefined) {
    const allowed = new Set(fieldsOf(name));
    for (const key of Object.keys(variables)) {
      if (allowed.has(key)) continue;
      // What a recipient's wire options add (CONTRACT §7); any other variable is unknown.
      if (key === APPLIANCE_ID || isCustomFieldName(key)) {
        const problem = extraProblem(key, variables[key] as string);
        if (problem !== undefined) problems.push(problem);
      } else problems.push(`unknown field "${key}"`);
    }
    recipientOptions = recipientOptionsSeen(event as string, variables, allowed, name);
    const missing = requiredVariablesOf(name, variables.type).filter(
      (f) => f !== 'event' && variables[f] === undefined,
    );
    for (const field of missing) problems.push(`missing variable ${field}`);
    problems.push(...valueProblems(name, variables, missing));
  }
  return {
    event,
    lsid,
    variables,
    problems,
    isEvent: name !== undefined,
    ...(recipientOptions === undefined ? {} : { recipientOptions }),
  };
}

/** What is wrong with an extra variable's value, by the rules of any schema-1 text. */
function extraProblem(field: string, value: string): string | undefined {
  try {
    checkedValue(field, value);
    return undefined;
  } catch (error) {
    if (!(error instanceof EventValidationError)) throw error;
    return error.message;
  }
}

function readForm(text: string, problems: string[]): Record<string, string> {
  const variables: Record<string, string> = Object.create(null);
  const repeated = new Set<string>();
  let pairs: Iterable<[string, string]>;
  try {
    // Strictly, as Outbound's own API reads a form: a broken escape or bytes that are not
    // UTF-8 are a problem to show, not something to repair silently.
    pairs = decodeFormBody(text);
  } catch (error) {
    problems.push((error as Error).message);
    pairs = new URLSearchParams(text);
  }
  for (const [key, value] of pairs) {
    if (Object.hasOwn(variables, key)) repeated.add(key);
    else variables[key] = value;
  }
  for (const key of repeated) problems.push(`duplicate variable "${key}"`);
  return variables;
}

/**
 * A valid value for `field`, as form text, so that one bad value does not hide the next; none
 * for `type`, which is chosen from the other variables, nor for a field the event may do
 * without.
 */
function standIn(name: EventName, field: string, type: string | undefined): string | undefined {
  const presence = SCHEMA_1[name][field as VariableName];
  if (presence === 'optional' || presence === undefined) return undefined;
  // Required of a representative only: dropped when the member is (taken for) a customer.
  if (presence === 'representative' && type !== 'representative') return undefined;
  const format = VARIABLES[field as VariableName].format;
  switch (format.kind) {
    case 'version':
      return '1';
    case 'timestamp':
      return '0';
    case 'text':
      return format.example ?? 'x';
    default:
      return undefined;
  }
}

/**
 * What is wrong with the values sent (version, timestamp, empty strings, user_id on a
 * customer…). The validator stops at the first error, so each faulty variable is replaced by
 * a stand-in (or dropped, when it is optional) and the event checked again.
 */
function valueProblems(
  name: EventName,
  variables: Record<string, string>,
  missing: string[],
): string[] {
  const probe: Record<string, string> = Object.assign(Object.create(null), variables);
  for (const field of missing) probe[field] = standIn(name, field, 'representative') ?? 'x';
  const problems: string[] = [];
  for (let round = 0; round < 12; round++) {
    try {
      validateEvent(probe, { mode: 'lenient', source: 'form' });
      break;
    } catch (error) {
      if (!(error instanceof EventValidationError)) throw error;
      problems.push(error.message);
      const field = error.field;
      if (field === undefined || field === 'event') break;
      const value =
        field === 'type'
          ? probe.user_id === undefined
            ? 'customer'
            : 'representative'
          : standIn(name, field, probe.type);
      // Without a stand-in the variable is optional (external_key, user_id on a customer).
      if (value === undefined) delete probe[field];
      else probe[field] = value;
    }
  }
  return problems;
}
