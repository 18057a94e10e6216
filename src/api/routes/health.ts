import type { FastifyInstance } from 'fastify';
import { Gauge, renderMetrics } from '../../metrics/registry.js';
import { renderRuntimeMetrics, runtimeMetrics } from '../../metrics/runtime-metrics.js';
import type { OperationsContext } from '../../operations/context.js';
import { describeRoute } from '../openapi/describe.js';
import { HEALTH, METRICS, READY } from '../openapi/health.js';

export function healthRoutes(app: FastifyInstance, ctx: OperationsContext): void {
  app.get('/healthz', describeRoute(HEALTH, 'public'), async () => ({ status: 'ok' }));

  app.get('/readyz', describeRoute(READY, 'public'), async (_request, reply) => {
    if (!ctx.isReady()) return reply.status(503).send({ status: 'shutting down' });
    try {
      await ctx.store.ping();
    } catch (error) {
      // Lost (the file was deleted or replaced), failing (its probe write failed too), or down.
      return reply.status(503).send({
        status: 'store unavailable',
        storage: ctx.store.health.state,
        message: error instanceof Error ? error.message : String(error),
      });
    }
    const { node, lanes } = ctx.dispatcher.ownership.describe();
    return node === null ? { status: 'ready', lanes } : { status: 'ready', node, lanes };
  });

  const queued = new Gauge('outbound_queue_depth', 'Pending deliveries per recipient.');
  const oldest = new Gauge(
    'outbound_oldest_pending_age_seconds',
    'Age of the oldest pending delivery per recipient (0 when none): a retry that stopped shows here.',
  );
  const failed = new Gauge(
    'outbound_failed_deliveries',
    'Deliveries set aside as failed, per recipient.',
  );
  const inFlight = new Gauge('outbound_requests_in_flight', 'Delivery requests in flight.');
  // Collecting from now on (GC, event-loop lag), not from the first scrape.
  runtimeMetrics();
  const held = new Gauge(
    'outbound_lanes_held',
    'Lanes this process drives; with PostgreSQL, labelled with its node id.',
  );

  app.get('/metrics', describeRoute(METRICS, 'metrics'), async (_request, reply) => {
    const now = ctx.clock();
    const [stats, recipients] = await Promise.all([
      ctx.store.laneStats(),
      ctx.store.listRecipients(),
    ]);
    const names = new Map(recipients.map((r) => [r.id, r.name]));
    const labels = (id: number) => ({ recipient: id, name: names.get(id) ?? '' });
    queued.set(stats.map((s) => [labels(s.recipientId), s.pending]));
    oldest.set(
      stats.map((s) => [
        labels(s.recipientId),
        s.oldestPendingAt === null ? 0 : Math.max(0, now - s.oldestPendingAt) / 1000,
      ]),
    );
    failed.set(stats.map((s) => [labels(s.recipientId), s.failed]));
    inFlight.set([[{}, ctx.dispatcher.inFlight]]);
    const ownership = ctx.dispatcher.ownership.describe();
    held.set([[ownership.node === null ? {} : { node: ownership.node }, ownership.lanes]]);
    const ours = renderMetrics([
      queued,
      oldest,
      failed,
      inFlight,
      held,
      ...ctx.dispatcher.metrics.all(),
    ]);
    // Ours are outbound_*, the runtime's process_* and nodejs_*: no name twice.
    return reply
      .type('text/plain; version=0.0.4; charset=utf-8')
      .send(ours + (await renderRuntimeMetrics()));
  });
}
