/**
 * The receiver SDK: what an application needs to accept Outbound's deliveries. It imports
 * only the schema-1 module and Node built-ins (no server framework, no database driver), so it
 * can be used from any server: adapters take the framework's objects structurally.
 */

export type {
  ConferenceBegin,
  ConferenceEnd,
  CustomerExitSurveyCompleted,
  EventName,
  EventOf,
  Member,
  MemberAdded,
  MemberDeparted,
  OutboundEvent,
  OwnerChanged,
  RepresentativeExitSurveyCompleted,
} from '../events/index.js';
export { EVENT_NAMES } from '../events/index.js';
export type { ExpressMiddleware, ExpressRequestLike } from './adapters/express.js';
export type {
  FastifyInstanceLike,
  FastifyPlugin,
  FastifyPluginOptions,
  FastifyReplyLike,
  FastifyRequestLike,
} from './adapters/fastify.js';
export type { FetchHandler } from './adapters/fetch.js';
export type { NodeListener } from './adapters/node.js';
export { ReceiverError, ReceiverErrorCode } from './errors.js';
export { createHandler, type OutboundHandler } from './handler.js';
export type { HeadersLike } from './headers.js';
export type {
  DeliveryContext,
  EventHandlers,
  HandlerOptions,
  HandlerResponse,
  ReceivedRequest,
} from './options.js';
export { type FormBody, type ParseOptions, parseEvent } from './parse-event.js';
export { MemorySeenStore, type MemorySeenStoreOptions } from './seen/memory.js';
export {
  type SqliteDatabase,
  SqliteSeenStore,
  type SqliteSeenStoreOptions,
  type SqliteStatement,
} from './seen/sqlite.js';
export type { ClaimResult, SeenStore, SeenStoreOptions } from './seen/store.js';
export { type SignatureHeaders, type SignOptions, signHeaders } from './sign.js';
export { TOKEN_PARAMETER, verifyToken } from './token.js';
export { type VerifiedDelivery, type VerifyOptions, verify } from './verify.js';
export {
  APPLIANCE_ID,
  type CustomFieldsOption,
  isCustomFieldName,
  type ReceivedEvent,
  type ReceivedEventOf,
  type WireExtras,
} from './wire-extras.js';
