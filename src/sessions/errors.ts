export type SessionErrorCode =
  | 'SESSION_NOT_FOUND'
  | 'SESSION_ENDED'
  | 'MEMBER_NOT_FOUND'
  | 'MEMBER_ALREADY_LEFT'
  | 'SURVEY_WITHOUT_PARTY'
  | 'SURVEY_ALREADY_SUBMITTED';

/** A step that cannot happen to this session. `status` is the HTTP status it maps to. */
export class SessionError extends Error {
  readonly status: 404 | 409;

  constructor(
    readonly code: SessionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SessionError';
    this.status = code === 'SESSION_NOT_FOUND' || code === 'MEMBER_NOT_FOUND' ? 404 : 409;
  }
}

export const sessionNotFound = (lsid: string) =>
  new SessionError('SESSION_NOT_FOUND', `no session with lsid "${lsid}"`);
