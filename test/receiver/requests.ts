import { randomBytes } from 'node:crypto';
import { encodeEvent, type OutboundEvent } from '../../src/events/index.js';
import { signHeaders } from '../../src/receiver/index.js';

export const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
export const OTHER_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
export const TOKEN = 'tok-3f9a';

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let counter = 0;
export const newId = () => `msg_${Date.now().toString(36)}_${++counter}`;

/** Headers Outbound sends with `body` when the recipient has `secret`. */
export function signed(
  body: string,
  options: { secret?: string; id?: string; timestamp?: number } = {},
): Record<string, string> {
  return {
    ...FORM,
    ...signHeaders(options.secret ?? SECRET, body, {
      id: options.id ?? newId(),
      timestamp: options.timestamp,
    }),
  };
}

export function post(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<Response> {
  return fetch(url, { method: 'POST', body, headers });
}

/** POSTs `event` signed with SECRET (and a given id), as Outbound does. */
export function deliver(url: string, event: OutboundEvent, id = newId()): Promise<Response> {
  const body = encodeEvent(event);
  return post(url, body, signed(body, { id }));
}

export interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

export function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
