import type { EventName } from '../events/index.js';
import type { ReceiverError } from './errors.js';
import type { HeadersLike } from './headers.js';
import type { ParseOptions } from './parse-event.js';
import type { SeenStore } from './seen/store.js';
import type { ReceivedEvent, ReceivedEventOf } from './wire-extras.js';

/** What a handler learns besides the event. */
export interface DeliveryContext {
  /** `webhook-id`: the event's id, the same on every delivery of it (when the request has it). */
  id: string | undefined;
  headers: HeadersLike;
  /** The request URL (path and query, or absolute), as the framework gave it. */
  url: string;
}

/**
 * A function per event name; Outbound gets 200 once it returns (or its promise resolves), 500
 * when it throws (and retries). An event without a function goes to `default`, or is simply
 * acknowledged.
 */
export type EventHandlers = {
  [N in EventName]?: (event: ReceivedEventOf<N>, context: DeliveryContext) => unknown;
} & {
  /** The name receivers written for deployed appliances use; the same event as the guide's. */
  support_conference_rep_exit_survey_completed?: (
    event: ReceivedEventOf<'support_conference_representative_exit_survey_completed'>,
    context: DeliveryContext,
  ) => unknown;
  default?: (event: ReceivedEvent, context: DeliveryContext) => unknown;
};

export interface HandlerOptions extends ParseOptions {
  /**
   * Standard Webhooks secret(s) `whsec_…` (the recipient's secret in Outbound); with it every
   * request must carry a valid `webhook-signature`. Several during a rotation. Default: none.
   */
  secret?: string | readonly string[];
  /**
   * Required value(s) of `?outbound_event_token=` in the request URL, for integrations that
   * authenticate Outbound by URL. Default: none.
   */
  token?: string | readonly string[];
  /** Allowed distance of `webhook-timestamp` from now, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** Idempotency by `webhook-id`. Default: none (every delivery runs the handler). */
  seen?: SeenStore;
  /** Largest body the adapters read, in bytes; beyond it they answer 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Called with every error: each non-200 answer, and a seen-store that failed to record a
   * handled event (answered 200 all the same). Default: logs status-500 errors to stderr.
   */
  onError?: (error: ReceiverError) => void;
  on: EventHandlers;
}

/** One request as the adapters hand it to the core. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: HeadersLike;
  /**
   * The raw body (text or bytes), or a form a body parser already split up (`URLSearchParams`
   * or a plain object of strings), which can be used only when no secret is configured.
   */
  body: string | Uint8Array | URLSearchParams | Readonly<Record<string, unknown>> | undefined;
}

export interface HandlerResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}
