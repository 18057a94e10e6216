import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHART_PERIODS, fillBuckets, periodRange } from '../../src/admin/delivery-chart.js';
import { axisMax, deliveryCharts } from '../../src/admin/views/delivery-chart.js';
import { TestReceiver } from '../support/receiver.js';
import { startService, type TestService } from '../support/service.js';
import { waitUntil } from '../support/wait.js';
import { type AdminClient, signedIn } from './client.js';

const [HOUR, DAY] = CHART_PERIODS as [(typeof CHART_PERIODS)[0], (typeof CHART_PERIODS)[0]];

/** The figure of one period on a recipient's page. */
const figureOf = (page: string, key: 'hour' | 'day') =>
  new RegExp(`<figure class="chart" data-chart="${key}">([\\s\\S]*?)</figure>`).exec(page)?.[1] ??
  '';

describe('the delivery chart on a recipient page', () => {
  let svc: TestService;
  let receiver: TestReceiver;
  let client: AdminClient;

  beforeEach(async () => {
    svc = await startService({ sweepIntervalMs: 100 });
    receiver = await TestReceiver.start({ kind: 'status', status: 503 });
    client = await signedIn(svc);
  });

  afterEach(async () => {
    await svc.stop();
    await receiver.close();
  });

  it('draws the last hour and day with the 200s, the failed attempt and the latency', async () => {
    const created = await svc.api('POST', '/api/v1/recipients', {
      name: 'crm',
      url: receiver.url,
      retryIntervalSeconds: 600,
    });
    const id = created.body.id as number;
    const send = (lsid: string) =>
      svc.api('POST', '/api/v1/events', { event: 'support_conference_begin', lsid });
    await send('first');
    await waitUntil(async () => {
      const [head] = await svc.service.store.listDeliveries(id, { state: 'pending', limit: 1 });
      return head?.attempts === 1;
    }, 'a failed attempt');
    receiver.mode = { kind: 'ok' };
    await client.get(`/admin/recipients/${id}`);
    expect((await client.post(`/admin/recipients/${id}/retry`)).status).toBe(303);
    await send('second');
    await waitUntil(() => receiver.accepted.length === 2, 'both deliveries');

    const page = await client.get(`/admin/recipients/${id}`);
    expect(page.status).toBe(200);
    for (const key of ['hour', 'day'] as const) {
      const figure = figureOf(page.text, key);
      expect(figure).toContain('<svg');
      expect(figure).toMatch(/role="img" aria-labelledby="chart-\w+-title chart-\w+-desc"/);
      expect(figure).toMatch(
        /<desc id="chart-\w+-desc">2 delivered, 1 failed attempt, latency mean [\d.]+ ms, longest [\d.]+ ms\.<\/desc>/,
      );
      // The three requests fall in one bucket, or two when a bucket boundary falls between.
      const rows = [
        ...figure.matchAll(/<tr><td>\d{4}-[^<]+ UTC<\/td><td>(\d+)<\/td><td>(\d+)<\/td>/g),
      ];
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows.reduce((n, r) => n + Number(r[1]), 0)).toBe(2);
      expect(rows.reduce((n, r) => n + Number(r[2]), 0)).toBe(1);
    }
    expect(figureOf(page.text, 'hour')).toContain('Last hour</strong> (per minute)');
    expect(figureOf(page.text, 'day')).toContain('Last day</strong> (per 15 minutes)');
    // The CSP allows no inline script or style: the chart needs neither.
    expect(page.headers.get('content-security-policy')).toContain("style-src 'self'");
    expect(page.text).not.toMatch(/<script>|style="/);
  });

  it('says so when a recipient had no activity', async () => {
    const created = await svc.api('POST', '/api/v1/recipients', {
      name: 'quiet',
      url: receiver.url,
    });
    const page = await client.get(`/admin/recipients/${created.body.id}`);
    const hour = figureOf(page.text, 'hour');
    expect(hour).toContain('No delivery and no failed attempt');
    expect(hour).toContain('0 delivered, 0 failed attempts.');
    expect(hour).not.toContain('<table');
  });
});

describe('chart periods and scales', () => {
  it('ends with the bucket in progress, on whole minutes and quarter hours', () => {
    const now = Date.UTC(2026, 10, 24, 9, 31, 20);
    expect(periodRange(HOUR, now)).toEqual({
      from: Date.UTC(2026, 10, 24, 8, 32),
      to: Date.UTC(2026, 10, 24, 9, 32),
    });
    expect(periodRange(DAY, now)).toEqual({
      from: Date.UTC(2026, 10, 23, 9, 45),
      to: Date.UTC(2026, 10, 24, 9, 45),
    });
  });

  it('fills the buckets without activity', () => {
    const from = 600_000;
    const busy = {
      start: from + 120_000,
      delivered: 3,
      meanLatencyMs: 2,
      maxLatencyMs: 4,
      failedAttempts: 0,
    };
    const buckets = fillBuckets(HOUR, from, [busy]);
    expect(buckets).toHaveLength(60);
    expect(buckets[2]).toBe(busy);
    expect(buckets[59]).toEqual({
      start: from + 59 * 60_000,
      delivered: 0,
      meanLatencyMs: null,
      maxLatencyMs: null,
      failedAttempts: 0,
    });
  });

  it('rounds the axes to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 10, 11, 99, 180, 0.3].map(axisMax)).toEqual([
      1, 1, 5, 10, 10, 20, 100, 200, 0.5,
    ]);
  });

  it('draws every bar of a busy period with its tooltip', () => {
    const from = Date.UTC(2026, 10, 24, 9, 0);
    const buckets = fillBuckets(
      HOUR,
      from,
      Array.from({ length: 60 }, (_, i) => ({
        start: from + i * 60_000,
        delivered: i,
        meanLatencyMs: i === 0 ? null : 5 + i,
        maxLatencyMs: i === 0 ? null : 10 + i,
        failedAttempts: i % 7 === 0 ? 1 : 0,
      })),
    );
    const out = deliveryCharts([{ period: HOUR, buckets }]).text;
    expect(out.match(/<g><title>/g)).toHaveLength(60);
    expect(out).toContain(
      '<title>2026-11-24 09:59:00 UTC: 59 delivered, 0 failed attempts, latency mean 64 ms, longest 69 ms</title>',
    );
    // One unbroken mean line from the first bucket with a 200.
    expect(out.match(/<path d="M[^"]*"/g)).toHaveLength(1);
    // Labels on the quarter hours.
    expect([...out.matchAll(/>(\d\d:\d\d)<\/text>/g)].map((m) => m[1])).toEqual([
      '09:00',
      '09:15',
      '09:30',
      '09:45',
    ]);
  });
});
