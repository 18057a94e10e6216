/**
 * Support sessions: the rules that turn session activity (create, transfer, members joining
 * and leaving, end, exit surveys) into schema-1 events in a valid order. Pure: state in, state
 * and events out; the store keeps the state, the API drives it.
 */
export { SessionError, type SessionErrorCode, sessionNotFound } from './errors.js';
export {
  CODE_NAME,
  parseAttributes,
  parseChat,
  parseExternalKey,
  parseFileTransfer,
  parseMember,
  parseMemberId,
  parseNewMember,
  parseNewSession,
  parseNote,
  parseOwner,
  parseSurvey,
} from './input.js';
export * from './limits.js';
export { newLsid } from './lsid.js';
export { normalizeState } from './normalize.js';
export {
  partyOf,
  primaryCustomer,
  primaryRep,
  secondsInvolved,
  systemParty,
} from './participants.js';
export {
  applyAction,
  createSession,
  type FileDirection,
  GENERAL,
  type NewSession,
  ownerOf,
  type SessionAction,
  type SessionOutcome,
} from './rules.js';
export type * from './types.js';
