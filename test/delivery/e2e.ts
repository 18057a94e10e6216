/**
 * Shared pieces of the end-to-end delivery tests: everything started through these helpers is
 * stopped by `cleanup()` (call it in afterEach), services before receivers.
 */
import { rmSync } from 'node:fs';
import { expect } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { encodeEvent, validateEvent } from '../../src/events/index.js';
import { type ReceiverMode, TestReceiver } from '../support/receiver.js';
import { startService, type TestService } from '../support/service.js';
import { waitUntil } from '../support/wait.js';

/** Small retry intervals so that failure tests take a fraction of a second. */
export const FAST = {
  retryIntervalSeconds: 0.05,
  retryMaxIntervalSeconds: 0.2,
  timeoutSeconds: 5,
};

const services: TestService[] = [];
const receivers: TestReceiver[] = [];
const others: (() => Promise<void> | void)[] = [];

/** A real service, stopped (and its data removed) by `cleanup`. */
export async function service(overrides: Partial<Config> = {}, dir?: string) {
  const started = await startService(overrides, dir);
  services.push(started);
  if (dir !== undefined) others.push(() => rmSync(dir, { recursive: true, force: true }));
  return started;
}

/** A loopback receiver, closed by `cleanup`. */
export async function receiver(mode: ReceiverMode = { kind: 'ok' }) {
  const started = await TestReceiver.start(mode);
  receivers.push(started);
  return started;
}

/** Anything else to release after the test (runs after services and receivers). */
export function onCleanup(fn: () => Promise<void> | void): void {
  others.push(fn);
}

export async function cleanup(): Promise<void> {
  // Newest service first: a restarted service shares its predecessor's data dir.
  for (const s of services.splice(0).reverse()) await s.stop();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  for (const fn of others.splice(0)) await fn();
}

export interface RecipientJson {
  id: number;
  name: string;
  url: string;
  enabled: boolean;
  paused: boolean;
  events: string[] | 'all';
  status: {
    state: string;
    queued: number;
    failed: number;
    oldestPendingAgeSeconds: number | null;
    nextAttemptAt: string | null;
    lastError: string | null;
  };
  [key: string]: unknown;
}

/** Creates a recipient with FAST retry settings unless given; expects 201. */
export async function addRecipient(
  svc: TestService,
  body: Record<string, unknown>,
): Promise<RecipientJson> {
  const res = await svc.api('POST', '/api/v1/recipients', { ...FAST, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as RecipientJson;
}

export type EventInput = Record<string, string | number>;

let counter = 0;
/** A schema-1 event with an explicit version and timestamp, unique by its lsid. */
export function makeEvent(event: string, extra: EventInput = {}): EventInput {
  counter++;
  return {
    event: `support_conference_${event}`,
    version: 1,
    timestamp: 1_700_000_000 + counter,
    lsid: `L${counter}`,
    ...extra,
  };
}

/** `n` begin events, each its own session. */
export function numbered(n: number): EventInput[] {
  return Array.from({ length: n }, () => makeEvent('begin'));
}

/** The exact body the contract says a receiver gets for `event`. */
export function wire(event: EventInput): string {
  return encodeEvent(validateEvent(event));
}

/** Posts one event or an array as JSON; expects 202 and returns the ids. */
export async function postEvents(
  svc: TestService,
  events: EventInput | EventInput[],
): Promise<string[]> {
  const res = await svc.api('POST', '/api/v1/events', events);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.ids as string[];
}

/** Posts events one request at a time (acceptance order = this order). */
export async function postEach(svc: TestService, events: EventInput[]): Promise<string[]> {
  const ids: string[] = [];
  for (const event of events) ids.push(...(await postEvents(svc, event)));
  return ids;
}

export interface DeliveryJson {
  seq: number;
  eventId: string;
  event: string;
  lsid: string;
  state: 'pending' | 'delivered' | 'failed';
  attemptCount: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  failedAttempts: {
    n: number;
    at: string;
    status: number | null;
    errorCode: string | null;
    error: string | null;
  }[];
}

/** GET …/deliveries: pending oldest first; otherwise newest first. */
export async function deliveries(
  svc: TestService,
  recipientId: number,
  state?: 'pending' | 'delivered' | 'failed',
): Promise<DeliveryJson[]> {
  const query = state === undefined ? '' : `?state=${state}`;
  const res = await svc.api('GET', `/api/v1/recipients/${recipientId}/deliveries${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.deliveries as DeliveryJson[];
}

export async function getRecipient(svc: TestService, id: number): Promise<RecipientJson> {
  const res = await svc.api('GET', `/api/v1/recipients/${id}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as RecipientJson;
}

/** Waits until the receiver has answered `n` requests with 200. */
export function acceptedCount(r: TestReceiver, n: number, timeoutMs = 10_000) {
  return waitUntil(() => r.accepted.length >= n, `${n} accepted requests at ${r.url}`, timeoutMs);
}

/** Waits until every delivery of the recipient is delivered (and there are `n`). */
export function allDelivered(svc: TestService, recipientId: number, n: number) {
  return waitUntil(async () => {
    const list = await deliveries(svc, recipientId);
    return list.length === n && list.every((d) => d.state === 'delivered');
  }, `${n} deliveries delivered to recipient ${recipientId}`);
}

export async function metrics(svc: TestService): Promise<string> {
  const res = await fetch(`${svc.url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of a metric sample carrying `recipient="id"` (undefined when absent). */
export function sample(text: string, name: string, recipientId: number): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labels = line.slice(name.length, line.lastIndexOf('}') + 1);
    if (!labels.includes(`recipient="${recipientId}"`)) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}
