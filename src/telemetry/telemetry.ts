import type { Attributes, Context, SpanContext, Tracer } from '@opentelemetry/api';
import type { LaneObserver } from '../delivery/lane-observer.js';
import type { SendResult } from '../delivery/sender.js';
import { maskUrl } from '../recipients/url-mask.js';
import type { NewEvent, PendingDelivery, Recipient } from '../types.js';
import { tracesExporters, unknownExporters } from './otel-env.js';

/** Accept spans remembered for the delivery spans made in this process (oldest forgotten). */
const REMEMBERED = 10_000;

/** What the SDK gave, once loaded. */
interface Loaded {
  tracer: Tracer;
  api: typeof import('@opentelemetry/api');
  shutdown: () => Promise<void>;
}

export interface TelemetryOptions {
  /** What a service name, version and log line are made with. */
  serviceVersion?: string;
  onError: (error: unknown, message: string) => void;
  onInfo: (message: string) => void;
}

/**
 * OpenTelemetry traces, when the standard OTEL_* variables ask for them (otel-env.ts): a span
 * per accept (POST /api/v1/events, the session calls) and one per delivery attempt, a child of
 * its event's accept span when that was made in this process. Every OpenTelemetry package is
 * imported dynamically by `start`, so a service without these variables never loads one, and
 * its paths check one variable (the service makes no Telemetry at all).
 *
 * A delivery span is made once the attempt is recorded, from its outcome: it starts when the
 * request did (`result.at`) and lasts its latency, so that the lane's hot path has nothing to
 * do before the request.
 */
export class Telemetry {
  private loaded: Loaded | undefined;
  /** Event id → the span context of the accept that stored it. */
  private readonly accepts = new Map<string, SpanContext>();

  private constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly exporters: readonly ('otlp' | 'console')[],
    private readonly options: TelemetryOptions,
  ) {}

  /** Undefined unless the environment asks for traces. */
  static fromEnv(env: NodeJS.ProcessEnv, options: TelemetryOptions): Telemetry | undefined {
    const exporters = tracesExporters(env);
    return exporters.length === 0 ? undefined : new Telemetry(env, exporters, options);
  }

  /** Loads the SDK and starts exporting. A failure is reported, and traces stay off. */
  async start(): Promise<void> {
    try {
      const [api, base, resources, semconv] = await Promise.all([
        import('@opentelemetry/api'),
        import('@opentelemetry/sdk-trace-base'),
        import('@opentelemetry/resources'),
        import('@opentelemetry/semantic-conventions'),
      ]);
      const processors = [];
      const where: string[] = [];
      if (this.exporters.includes('otlp')) {
        const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
        // Reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS, _TIMEOUT itself.
        processors.push(new base.BatchSpanProcessor(new OTLPTraceExporter()));
        where.push(`OTLP/HTTP (JSON) to ${maskUrl(this.otlpEndpoint())}`);
      }
      if (this.exporters.includes('console')) {
        processors.push(new base.BatchSpanProcessor(new base.ConsoleSpanExporter()));
        where.push('the console');
      }
      const resource = resources
        .defaultResource()
        .merge(
          resources.resourceFromAttributes({
            [semconv.ATTR_SERVICE_NAME]: 'outbound',
            ...(this.options.serviceVersion === undefined
              ? {}
              : { [semconv.ATTR_SERVICE_VERSION]: this.options.serviceVersion }),
          }),
        )
        // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over ours.
        .merge(resources.detectResources({ detectors: [resources.envDetector] }));
      const provider = new base.BasicTracerProvider({ resource, spanProcessors: processors });
      this.loaded = {
        api,
        tracer: provider.getTracer('outbound', this.options.serviceVersion),
        shutdown: () => provider.shutdown(),
      };
      const ignored = unknownExporters(this.env);
      const protocol =
        this.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? this.env.OTEL_EXPORTER_OTLP_PROTOCOL;
      this.options.onInfo(
        `OpenTelemetry traces to ${where.join(' and ')}` +
          (ignored.length > 0 ? `; no exporter for ${ignored.join(', ')}` : '') +
          (protocol !== undefined && protocol !== 'http/json' && this.exporters.includes('otlp')
            ? `; OTLP protocol ${protocol} asked, sent as http/json (what this exporter speaks)`
            : ''),
      );
    } catch (error) {
      this.options.onError(error, 'OpenTelemetry could not be started: no traces');
    }
  }

  /** Sends what is buffered and stops. */
  async shutdown(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = undefined;
    await loaded?.shutdown().catch((error) => this.options.onError(error, 'OpenTelemetry flush'));
  }

  /**
   * Runs an accept (`kind`: `events` or `session`) in a span naming its events; `events` may
   * only be known once `run` has built them (a session change), hence the getter.
   */
  async accept<T>(
    kind: 'events' | 'session',
    attributes: Attributes,
    events: () => readonly NewEvent[],
    run: () => Promise<T>,
  ): Promise<T> {
    const loaded = this.loaded;
    if (loaded === undefined) return run();
    const { api } = loaded;
    const span = loaded.tracer.startSpan(
      kind === 'events' ? 'accept events' : 'accept session change',
      {
        kind: api.SpanKind.PRODUCER,
        attributes: { 'outbound.accept.kind': kind, ...attributes },
      },
    );
    try {
      const result = await run();
      const stored = events();
      span.setAttribute('outbound.event.count', stored.length);
      if (stored.length > 0) {
        span.setAttribute('outbound.event.first_id', (stored[0] as NewEvent).uid);
        span.setAttribute('outbound.event.last_id', (stored.at(-1) as NewEvent).uid);
      }
      const context = span.spanContext();
      for (const event of stored) this.remember(event.uid, context);
      return result;
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  }

  /** Delivery attempts as spans, told by the lanes once recorded. */
  readonly observer: LaneObserver = {
    delivered: (recipient, delivery, _now, result) =>
      this.attempt(recipient, delivery, result, 'delivered', delivery.attempts + 1),
    failed: (recipient, delivery, result) =>
      this.attempt(recipient, delivery, result, 'failed', delivery.attempts),
    setAside: (recipient, delivery, result) =>
      this.attempt(recipient, delivery, result, 'set-aside', delivery.attempts + 1),
  };

  private attempt(
    recipient: Recipient,
    delivery: PendingDelivery,
    result: SendResult,
    outcome: 'delivered' | 'failed' | 'set-aside',
    attempt: number,
  ): void {
    const loaded = this.loaded;
    if (loaded === undefined) return;
    const { api } = loaded;
    const accepted = this.accepts.get(delivery.eventUid);
    const parent: Context =
      accepted === undefined
        ? api.ROOT_CONTEXT
        : api.trace.setSpanContext(api.ROOT_CONTEXT, accepted);
    const attributes: Attributes = {
      'outbound.event.id': delivery.eventUid,
      'outbound.webhook_id': delivery.eventUid,
      'outbound.event.name': delivery.eventName,
      'outbound.recipient.id': recipient.id,
      'outbound.recipient.name': recipient.name,
      'outbound.attempt': attempt,
      'outbound.outcome': outcome,
    };
    if (result.status !== null) attributes['http.response.status_code'] = result.status;
    if (!result.ok) {
      if (result.errorCode !== null) attributes['error.type'] = result.errorCode;
      if (result.error !== null) attributes['outbound.error'] = result.error;
    }
    const span = loaded.tracer.startSpan(
      'deliver',
      { kind: api.SpanKind.CLIENT, startTime: result.at, attributes },
      parent,
    );
    if (!result.ok) {
      span.setStatus({
        code: api.SpanStatusCode.ERROR,
        message: result.error ?? `HTTP ${result.status}`,
      });
    }
    span.end(result.at + result.latencyMs);
  }

  private remember(eventUid: string, context: SpanContext): void {
    if (this.accepts.size >= REMEMBERED) {
      const oldest = this.accepts.keys().next().value;
      if (oldest !== undefined) this.accepts.delete(oldest);
    }
    this.accepts.set(eventUid, context);
  }

  private otlpEndpoint(): string {
    const traces = this.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    if (traces) return traces;
    const base = this.env.OTEL_EXPORTER_OTLP_ENDPOINT || 'http://localhost:4318';
    return `${base.replace(/\/+$/, '')}/v1/traces`;
  }
}
