import { dispatcher } from './dispatch.js';
import { bodyTooLarge, ReceiverError, ReceiverErrorCode } from './errors.js';
import { headerValue } from './headers.js';
import type {
  DeliveryContext,
  HandlerOptions,
  HandlerResponse,
  ReceivedRequest,
} from './options.js';
import { type ParseRules, parseForm, parseRules } from './parse-event.js';
import { parsedForm } from './parsed-form.js';
import { secretKeys } from './secret.js';
import type { ClaimResult, SeenStore } from './seen/store.js';
import { tokenDigests, verifyTokenDigests } from './token.js';
import { verifyWithKeys } from './verify.js';
import type { ReceivedEvent } from './wire-extras.js';

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The framework-free receiver: one request in, one answer out. Checks run cheapest and
 * most-telling first (method, token, signature, body), so nothing unauthenticated is parsed,
 * and the seen-store is touched only for an authentic, valid event.
 */
export class ReceiverCore {
  readonly maxBodyBytes: number;
  private readonly keys: Buffer[] | null;
  private readonly tokens: Buffer[] | null;
  private readonly toleranceSeconds: number | undefined;
  private readonly rules: ParseRules;
  private readonly seen: SeenStore | undefined;
  private readonly onError: (error: ReceiverError) => void;
  private readonly dispatch: ReturnType<typeof dispatcher>;

  constructor(options: HandlerOptions) {
    // Configuration mistakes throw here, at start-up, not on the first delivery.
    this.keys = options.secret === undefined ? null : secretKeys(options.secret);
    this.tokens = options.token === undefined ? null : tokenDigests(options.token);
    this.toleranceSeconds = options.toleranceSeconds;
    this.rules = parseRules(options);
    this.seen = options.seen;
    this.onError = options.onError ?? logServerErrors;
    this.dispatch = dispatcher(options.on);
    const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new TypeError('maxBodyBytes must be a positive whole number');
    }
    this.maxBodyBytes = max;
  }

  /** Never rejects: every failure becomes its status (and a call to `onError`). */
  async handle(request: ReceivedRequest): Promise<HandlerResponse> {
    try {
      return await this.run(request);
    } catch (error) {
      return this.fail(
        error instanceof ReceiverError
          ? error
          : new ReceiverError(ReceiverErrorCode.HANDLER_FAILED, 'receiver failed', {
              cause: error,
            }),
      );
    }
  }

  /** The answer for an error raised before the core ran (an adapter reading the body). */
  fail(error: ReceiverError): HandlerResponse {
    this.report(error);
    const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
    if (error.status === 405) headers.allow = 'POST';
    // A handler's own message may hold internals; it goes to onError, not over the wire.
    const body = error.code === ReceiverErrorCode.HANDLER_FAILED ? 'handler failed' : error.message;
    return { status: error.status, headers, body };
  }

  private async run(request: ReceivedRequest): Promise<HandlerResponse> {
    if (request.method.toUpperCase() !== 'POST') {
      throw new ReceiverError(ReceiverErrorCode.METHOD_NOT_ALLOWED, 'only POST is accepted');
    }
    if (this.tokens) verifyTokenDigests(request.url, this.tokens);
    const event = this.authenticEvent(request);
    const context: DeliveryContext = {
      id: headerValue(request.headers, 'webhook-id') || undefined,
      headers: request.headers,
      url: request.url,
    };
    const claim = await this.claim(context.id);
    if (claim === 'seen') return ok('ok (already handled)');
    if (claim === 'busy') {
      throw new ReceiverError(
        ReceiverErrorCode.DELIVERY_IN_PROGRESS,
        'this event is being handled by another request',
      );
    }
    await this.runHandler(event, context, claim === 'claimed');
    return ok('ok');
  }

  private authenticEvent(request: ReceivedRequest): ReceivedEvent {
    const body = request.body ?? '';
    const raw = typeof body === 'string' || body instanceof Uint8Array ? body : null;
    // Adapters stop reading at the limit; this covers bodies a framework read for them.
    if (raw !== null && byteLength(raw) > this.maxBodyBytes) throw bodyTooLarge(this.maxBodyBytes);
    if (this.keys) {
      if (raw === null) {
        throw new ReceiverError(
          ReceiverErrorCode.RAW_BODY_UNAVAILABLE,
          'a body parser consumed the body before its signature could be checked: mount the ' +
            'Outbound handler before body parsers, or parse this route with express.raw()/text()',
        );
      }
      const options = { toleranceSeconds: this.toleranceSeconds };
      verifyWithKeys(request.headers, raw, this.keys, options);
    }
    return parseForm(
      raw ?? parsedForm(body as URLSearchParams | Record<string, unknown>),
      this.rules,
    );
  }

  private async claim(id: string | undefined): Promise<ClaimResult | 'untracked'> {
    if (!this.seen || id === undefined) return 'untracked';
    try {
      return await this.seen.claim(id);
    } catch (error) {
      throw new ReceiverError(ReceiverErrorCode.SEEN_STORE_FAILED, 'seen-store claim failed', {
        cause: error,
      });
    }
  }

  private async runHandler(
    event: ReceivedEvent,
    context: DeliveryContext,
    claimed: boolean,
  ): Promise<void> {
    const id = context.id as string;
    try {
      await this.dispatch(event, context);
    } catch (error) {
      // Not marked seen: Outbound's retry must run the handler again.
      if (claimed) await this.settle(() => this.seen?.release(id), 'release');
      throw new ReceiverError(ReceiverErrorCode.HANDLER_FAILED, handlerMessage(error), {
        cause: error,
      });
    }
    // The event is handled: answer 200 even if recording that fails, since a 500 would run
    // the handler a second time once the claim expires.
    if (claimed) await this.settle(() => this.seen?.complete(id), 'complete');
  }

  private async settle(step: () => unknown, name: string): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.report(
        new ReceiverError(ReceiverErrorCode.SEEN_STORE_FAILED, `seen-store ${name} failed`, {
          cause: error,
        }),
      );
    }
  }

  private report(error: ReceiverError): void {
    try {
      this.onError(error);
    } catch {
      // A failing logger must not change the answer Outbound gets.
    }
  }
}

function byteLength(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}

function ok(body: string): HandlerResponse {
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

function handlerMessage(error: unknown): string {
  try {
    return `handler failed: ${error instanceof Error ? error.message : String(error)}`;
  } catch {
    return 'handler failed'; // a thrown value without a string form (Object.create(null))
  }
}

function logServerErrors(error: ReceiverError): void {
  if (error.status >= 500)
    console.error(`[outbound receiver] ${error.code}: ${error.message}`, error.cause ?? '');
}
