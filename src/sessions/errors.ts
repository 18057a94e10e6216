import { OutboundError } from '../errors.js';

export type SessionErrorCode =
  | 'SESSION_NOT_FOUND'
  | 'SESSION_ENDED'
  | 'MEMBER_NOT_FOUND'
  | 'MEMBER_ALREADY_LEFT'
  | 'SURVEY_WITHOUT_PARTY'
  | 'SURVEY_ALREADY_SUBMITTED';

/**
 * A step that cannot happen to this session. `status` is the HTTP status it maps to; the code
 * reaches the JSON error body as `session_ended`, `member_already_left`….
 */
export class SessionError extends OutboundError {
  declare readonly code: SessionErrorCode;
  declare readonly status: 404 | 409;

  constructor(code: SessionErrorCode, message: string) {
    super(code, code === 'SESSION_NOT_FOUND' || code === 'MEMBER_NOT_FOUND' ? 404 : 409, message);
    this.name = 'SessionError';
  }
}

export const sessionNotFound = (lsid: string) =>
  new SessionError('SESSION_NOT_FOUND', `no session with lsid "${lsid}"`);
