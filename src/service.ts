import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { Alerter } from './alerts/alerter.js';
import { MailRelay } from './alerts/mail-relay.js';
import { MailSender } from './alerts/mail-sender.js';
import { Mailer } from './alerts/mailer.js';
import { alertRuleOf, recipientPageUrl } from './alerts/recipient-rule.js';
import type { Config } from './config/config.js';
import { DestinationPolicy } from './delivery/destination-policy.js';
import { Dispatcher, HttpSender } from './delivery/index.js';
import { KindSender } from './delivery/kind-sender.js';
import { observeAll } from './delivery/lane-observer.js';
import { LifecycleLog } from './delivery/lifecycle-log.js';
import { installAccessLog } from './http/access-log.js';
import { Ingest } from './operations/ingest.js';
import { type InstallationId, loadInstallationId } from './operations/installation.js';
import { TokenAuth } from './operations/tokens.js';
import { buildApp } from './server.js';
import { leasingCluster } from './store/lane-leasing.js';
import { openStore } from './store/open.js';
import { Retention } from './store/retention.js';
import type { Store } from './store/store.js';
import { Telemetry } from './telemetry/telemetry.js';
import { TracedIngest } from './telemetry/traced-ingest.js';

/**
 * The whole service, wired in the direction the data flows: API → ingest (group commit) →
 * store → dispatcher → recipients.
 */
export class Service {
  readonly store: Store;
  readonly dispatcher: Dispatcher;
  readonly ingest: Ingest;
  readonly app: FastifyInstance;
  readonly mail: MailRelay;
  private readonly alerter: Alerter;
  private readonly sender: KindSender;
  private readonly retention: Retention;
  /** Undefined unless the OTEL_* variables ask for traces: nothing of OpenTelemetry is loaded. */
  private readonly telemetry: Telemetry | undefined;
  /** Read from the store in start(), before anything is served or sent. */
  private installation: InstallationId = { id: '', overridden: false };
  private ready = false;
  private stopping: Promise<void> | null = null;

  constructor(
    readonly config: Config,
    options: {
      store?: Store;
      clock?: () => number;
      /** Delivery cannot go on (another process took the SQLite file over). Default: stop. */
      onFatal?: (error: Error) => void;
      /** Where the JSON log lines go instead of stdout (tests read them). */
      logStream?: { write(line: string): void };
      /** Where the OTEL_* variables are read from. Default process.env. */
      env?: NodeJS.ProcessEnv;
    } = {},
  ) {
    const clock = options.clock ?? Date.now;
    this.store =
      options.store ?? openStore(config.databaseUrl, { sqliteDriver: config.sqliteDriver });
    this.mail = new MailRelay(new Mailer(), this.store.settings, clock);
    // Email recipients ride the same lanes as HTTP ones; only the last step differs.
    const destinations = DestinationPolicy.of({
      allow: config.destinationAllow,
      deny: config.destinationDeny,
    });
    const applianceId = () => this.installation.id;
    this.sender = new KindSender({
      http: new HttpSender({ destinations: { policy: destinations }, applianceId }),
      email: new MailSender(this.mail, applianceId),
    });
    // Error alerts follow each recipient's Email Contact fields, off the delivery path.
    this.alerter = new Alerter({
      mailer: this.mail.mailer,
      settings: () => this.mail.settings(),
      ruleFor: alertRuleOf,
      queued: async (recipientId) =>
        (await this.store.laneStats()).find((s) => s.recipientId === recipientId)?.pending ?? 0,
      pageUrl: (recipientId) => recipientPageUrl(config.publicUrl, recipientId),
      clock,
      onSent: (mail) => this.app.log.info({ subject: mail.subject }, 'alert mail sent'),
      onError: (error, recipientId) =>
        this.app.log.error({ err: error, recipientId }, 'alert mail failed'),
    });
    const logger =
      config.logLevel === 'silent'
        ? false
        : { level: config.logLevel, ...(options.logStream && { stream: options.logStream }) };
    // Recipients failing, recovering, events set aside, lanes moving: a line per transition.
    const lifecycle = new LifecycleLog({
      info: (fields, message) => this.app.log.info(fields, message),
      warn: (fields, message) => this.app.log.warn(fields, message),
    });
    this.telemetry = Telemetry.fromEnv(options.env ?? process.env, {
      onError: (error, message) => this.app.log.error({ err: error }, message),
      onInfo: (message) => this.app.log.info(message),
    });
    // Single-writer (SQLite): the writer lock gives this process every lane; else leases.
    const cluster = leasingCluster(this.store);
    this.dispatcher = new Dispatcher(this.store, this.sender, {
      concurrency: config.concurrency,
      sweepIntervalMs: config.sweepIntervalMs,
      clock,
      observer: observeAll(
        this.telemetry === undefined
          ? [this.alerter, lifecycle]
          : [this.alerter, lifecycle, this.telemetry.observer],
      ),
      onError: (error, recipientId) =>
        this.app.log.error({ err: error, recipientId }, 'delivery error'),
      writer: {
        where: config.databaseUrl,
        onWaiting: (holder) =>
          this.app.log.warn(
            { pid: holder.pid, host: holder.host, lastSeen: new Date(holder.seenAt).toISOString() },
            'the database was in use by another outbound serve: waiting to see whether it is gone',
          ),
        onLost: (cause) => {
          // The database went from under us: keep answering 503 (readiness, ingest) with why;
          // a restart would refuse in one line (see store/sqlite/database-files.ts).
          if (cause !== undefined) return;
          const error = new Error('another outbound serve took over the database');
          if (options.onFatal !== undefined) options.onFatal(error);
          else void this.stop();
        },
      },
      // Several nodes may share the database: lanes are leased from it.
      ...(cluster === undefined
        ? {}
        : {
            cluster: {
              store: cluster,
              leaseMs: config.leaseMs,
              name: `${hostname()}:${process.pid}:${config.port}`,
            },
          }),
    });
    this.ingest =
      this.telemetry === undefined
        ? new Ingest(this.store, this.dispatcher, { clock })
        : new TracedIngest(this.store, this.dispatcher, { clock }, this.telemetry);
    this.retention = new Retention(this.store, {
      retentionMs: config.retentionDays * 86_400_000,
      clock,
      onError: (error) => this.app.log.error({ err: error }, 'retention failed'),
    });
    this.app = buildApp(
      {
        store: this.store,
        ingest: this.ingest,
        dispatcher: this.dispatcher,
        auth: new TokenAuth(this.store, clock),
        mail: this.mail,
        clock,
        isReady: () => this.ready,
        destinations,
        legacyApiAuth: config.legacyApiAuth,
        installation: () => this.installation,
      },
      {
        bodyLimitBytes: config.bodyLimitBytes,
        logger,
        metricsToken: config.metricsToken,
        trustProxy: config.trustProxy,
      },
    );
    // Off: no hook at all. Root hooks reach the routes of every plugin, loaded at listen.
    if (config.accessLog) installAccessLog(this.app);
  }

  /** Says in the log when storage starts failing, recovers, or is lost. */
  private watchStorage(): void {
    this.store.health.onChange((state, reason) => {
      if (state === 'lost') {
        this.app.log.fatal(
          { reason },
          `storage is lost: ${reason}; ingest answers 503 and delivery stopped until the database is restored and outbound restarted`,
        );
      } else if (state === 'failing') {
        this.app.log.error({ reason }, `storage is failing: ${reason}; ingest answers 503`);
      } else {
        this.app.log.info('storage recovered: writes succeed again');
      }
    });
  }

  /**
   * Migrates, listens, then starts delivery; returns the address. Listening comes first so
   * that a port in use stops the start before anything delivers or takes the writer lock.
   * Events accepted before the lanes run are stored, and the dispatcher's first sweep finds
   * them (a wake-up for a lane not yet held does nothing); /readyz answers 503 until then. A
   * database another serve holds still refuses here, and the listener is closed by stop().
   */
  async start(): Promise<string> {
    this.watchStorage();
    await this.store.migrate();
    this.installation = await loadInstallationId(
      this.store.settings,
      this.config.applianceId ?? null,
      Date.now(),
    );
    await this.telemetry?.start();
    const address = await this.app.listen({ port: this.config.port, host: this.config.host });
    await this.dispatcher.start();
    this.alerter.start();
    this.retention.start();
    this.ready = true;
    return address;
  }

  /**
   * Stops accepting, lets acknowledged commits finish, gives requests in flight the shutdown
   * time-out, then closes the store. Nothing acknowledged is lost: it is in the store.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.ready = false;
      await this.app.close();
      await this.ingest.drain();
      await this.retention.stop();
      await this.dispatcher.stop(this.config.shutdownTimeoutMs);
      await this.sender.close();
      // After the lanes: their last attempts may still call for a mail.
      await this.alerter.stop();
      // The last delivery spans go out before the process ends.
      await this.telemetry?.shutdown();
      this.mail.mailer.close();
      await this.store.close();
    })();
    return this.stopping;
  }
}
