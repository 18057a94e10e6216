import { OutboundError } from '../errors.js';

export type SessionErrorCode =
  | 'SESSION_NOT_FOUND'
  | 'SESSION_ENDED'
  | 'MEMBER_NOT_FOUND'
  | 'MEMBER_ALREADY_LEFT'
  | 'SURVEY_WITHOUT_PARTY'
  | 'SURVEY_ALREADY_SUBMITTED'
  /** The session has recorded as much as a session may (413). */
  | 'SESSION_TOO_LARGE';

/**
 * A step that cannot happen to this session. `status` is the HTTP status it maps to; the code
 * reaches the JSON error body as `session_ended`, `member_already_left`….
 */
export class SessionError extends OutboundError {
  declare readonly code: SessionErrorCode;
  declare readonly status: 404 | 409 | 413;

  constructor(code: SessionErrorCode, message: string, field?: string) {
    super(code, statusOf(code), message, field);
    this.name = 'SessionError';
  }
}

function statusOf(code: SessionErrorCode): 404 | 409 | 413 {
  if (code === 'SESSION_NOT_FOUND' || code === 'MEMBER_NOT_FOUND') return 404;
  return code === 'SESSION_TOO_LARGE' ? 413 : 409;
}

export const sessionNotFound = (lsid: string) =>
  new SessionError('SESSION_NOT_FOUND', `no session with lsid "${lsid}"`);
