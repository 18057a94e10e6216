/**
 * Our words, used the same way in code, docs and the admin interface:
 *
 * - event: one schema-1 event, accepted through the API and stored durably; its `uid` is the
 *   stable id sent as `webhook-id` on every delivery of it.
 * - recipient: an HTTP endpoint that subscribes to some event types.
 * - delivery: one event queued for one recipient; `pending` until the recipient answers 200
 *   (`delivered`), or until it is set aside (`failed`).
 * - lane: a recipient's pending deliveries in acceptance order, sent one at a time.
 * - head: the oldest pending delivery of a lane: the only one that may be in flight.
 * - attempt: one POST of a delivery; failed attempts are recorded with their cause.
 * - set aside: a head that failed for longer than the recipient's retry duration is marked
 *   failed (kept, visible, replayable) so that the lane can move on.
 */
import type { EventName } from './events/index.js';

export type DeliveryState = 'pending' | 'delivered' | 'failed';

/** How a recipient is sent its events: POSTed (HTTP recipients) or mailed (email recipients). */
export type RecipientKind = 'http' | 'email';

/** A recipient as stored; durations in milliseconds. */
/** The representative exit survey's event name on the wire: the guide's, or deployed appliances'. */
export type RepSurveyEventName = 'guide' | 'rep';

export interface Recipient {
  id: number;
  /** 'email': `url` is `mailto:ADDRESS` and each event goes out as a readable mail. */
  kind: RecipientKind;
  /** Unique, shown in the admin interface. */
  name: string;
  /** Used exactly as given, query string included. */
  url: string;
  /** A disabled recipient is queued nothing and sent nothing. */
  enabled: boolean;
  /** A paused recipient keeps being queued, but nothing is sent until it is resumed. */
  paused: boolean;
  /** Subscribed event types, or 'all'. */
  events: EventName[] | 'all';
  /** Wait after the first failure; doubles after each further failure up to the cap. */
  retryIntervalMs: number;
  /** Cap of the backoff. */
  retryMaxIntervalMs: number;
  /** Once the head has failed for this long it is set aside; 0 = retry forever. */
  retryDurationMs: number;
  /** Whole-request time-out: connect, headers and body. */
  timeoutMs: number;
  /** Validate the server's TLS certificate (on by default; off only explicitly). */
  tlsVerify: boolean;
  /** Extra trusted root certificates (PEM), added to the system's. */
  caPem: string | null;
  /** Extra request headers. */
  headers: Record<string, string>;
  /** Standard Webhooks signing secret (`whsec_…`); never returned in full by the API. */
  secret: string | null;
  /** The secret replaced last: it keeps signing alongside the new one until it expires. */
  previousSecret: string | null;
  previousSecretExpiresAt: number | null;
  /** How long a replaced secret keeps signing alongside the new one; 0 = not at all. */
  secretRotationMs: number;
  /** Error alerts by email go to these addresses (at most 10); none: no alerts. */
  alertContacts: string[];
  /** A head failing for this long triggers the first alert ("Send Email Alert After"). */
  alertAfterMs: number;
  /** Between two alerts while it keeps failing ("Resend Email Alerts"); 0 = alert once. */
  resendAlertsMs: number;
  /**
   * Wire options for receivers written for deployed appliances (all off by default: the guide's
   * byte-exact body). 'rep': the representative exit survey goes out as
   * `support_conference_rep_exit_survey_completed`; decided at send time.
   */
  repSurveyEventName: RepSurveyEventName;
  /** Adds `appliance_id` (this installation's id) after the standard variables. */
  sendApplianceId: boolean;
  /** Adds the session's custom attributes (as emitted with the event), named by code name. */
  sendCustomFields: boolean;
  createdAt: number;
  updatedAt: number;
}

export type RecipientInput = Omit<Recipient, 'id' | 'createdAt' | 'updatedAt'>;
export type RecipientPatch = Partial<RecipientInput>;

/** An event ready to store: already validated and encoded. */
export interface NewEvent {
  uid: string;
  name: EventName;
  lsid: string;
  externalKey: string | null;
  /** Schema-1 `timestamp`, Unix seconds. */
  timestamp: number;
  /** The exact form body sent to recipients. */
  body: string;
  /** A test event: queued for this recipient only, whatever it subscribes to. */
  onlyRecipientId?: number;
  /**
   * The session's custom attributes when a session step emitted the event (code name →
   * value); absent or empty: none. Sent only to recipients with sendCustomFields.
   */
  customFields?: Record<string, string>;
}

export interface StoredEvent extends Omit<NewEvent, 'onlyRecipientId'> {
  id: number;
  acceptedAt: number;
}

export interface AcceptResult {
  /** Ids of the events, in the order given. */
  ids: number[];
  /** Recipients that got new deliveries: their lanes have work. */
  recipientIds: number[];
}

/** What a lane needs to send its head. */
export interface PendingDelivery {
  recipientId: number;
  seq: number;
  eventId: number;
  eventUid: string;
  eventName: EventName;
  body: string;
  /**
   * events.custom_fields as stored (JSON text, null when none): parsed only when the
   * recipient sends custom fields, so the hot path stays free of it.
   */
  customFieldsJson?: string | null;
  acceptedAt: number;
  attempts: number;
  /** Time of the first failed attempt of this delivery: the retry duration counts from it. */
  firstFailedAt: number | null;
  nextAttemptAt: number;
}

export interface Delivery {
  recipientId: number;
  seq: number;
  eventId: number;
  eventUid: string;
  eventName: EventName;
  lsid: string;
  state: DeliveryState;
  attempts: number;
  acceptedAt: number;
  firstFailedAt: number | null;
  nextAttemptAt: number | null;
  lastAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: number | null;
  failedAt: number | null;
}

/** How one attempt ended. */
export interface AttemptOutcome {
  at: number;
  /** HTTP status, when a response arrived. */
  status: number | null;
  /** Stable error code (see delivery/errors.ts), null on success. */
  errorCode: string | null;
  error: string | null;
  latencyMs: number;
  /** The start of the response body, capped. */
  snippet: string | null;
}

export interface Attempt extends AttemptOutcome {
  recipientId: number;
  seq: number;
  n: number;
}

export interface LaneStats {
  recipientId: number;
  pending: number;
  /** Acceptance time of the head, null when the lane is empty. */
  oldestPendingAt: number | null;
  failed: number;
}

export interface ApiToken {
  id: number;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}
