/**
 * A real service with a real receiver and three API accounts (command full, read_only, deny)
 * for the Command API tests, and the calls they make: `command(token, params)` as GET, form
 * POST, or POST with the query string and an empty body.
 */
import { expect } from 'vitest';
import { NO_LOG } from '../../src/audit/index.js';
import { createApiAccount, issueAccessToken } from '../../src/operations/api-accounts.js';
import type { CommandPermission } from '../../src/store/api-account-store.js';
import { TestReceiver } from '../support/receiver.js';
import { startService, type TestService } from '../support/service.js';
import { waitUntil } from '../support/wait.js';

export const COMMAND_NS = 'http://www.bomgar.com/namespaces/API/command';
export const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

const escapeXml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`,
  );

/** The exact `<error>` document of a refusal (the message as given, escaped as sent). */
export const xmlError = (message: string) =>
  `${DECL}<error xmlns="${COMMAND_NS}">${escapeXml(message)}</error>\n`;
export const xmlSuccess = (message: string) =>
  `${DECL}<success xmlns="${COMMAND_NS}">${message}</success>\n`;

export type Method = 'GET' | 'POST' | 'POST-query';

export interface CommandFixture {
  svc: TestService;
  receiver: TestReceiver;
  tokens: Record<CommandPermission, string>;
  /** The recipient that sends to `receiver`. */
  recipientId: number;
  /** Calls the Command API; returns the status, content type and body text. */
  command(
    token: string,
    params: Record<string, string>,
    options?: { method?: Method; path?: string },
  ): Promise<{ status: number; type: string | null; body: string }>;
  /** Calls the sessions API with the service's token; fails the test unless `status`. */
  ok(status: number, method: string, path: string, body?: unknown): Promise<any>;
  /** The events the receiver has taken so far, parsed. */
  events(): URLSearchParams[];
  /** Waits for `n` events at the receiver. */
  arrived(n: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startCommandFixture(): Promise<CommandFixture> {
  const svc = await startService();
  const receiver = await TestReceiver.start();
  try {
    const ctx = { store: svc.service.store, clock: () => Date.now() };
    const tokens = {} as Record<CommandPermission, string>;
    for (const command of ['full', 'read_only', 'deny'] as const) {
      const { account, clientSecret } = await createApiAccount(
        ctx,
        { name: `ticketing-${command}`, reporting: command === 'full', command },
        { actor: 'test', log: NO_LOG },
      );
      const issued = await issueAccessToken(ctx, account.clientId, clientSecret);
      if (issued === undefined) throw new Error('no access token issued');
      tokens[command] = issued.accessToken;
    }
    const ok = async (status: number, method: string, path: string, body?: unknown) => {
      const res = await svc.api(method, `/api/v1${path}`, body);
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
      return res.body;
    };
    const recipient = await ok(201, 'POST', '/recipients', {
      name: 'ticketing',
      url: receiver.url,
      retryIntervalSeconds: 0.05,
      retryMaxIntervalSeconds: 0.2,
    });
    const command: CommandFixture['command'] = async (token, params, options = {}) => {
      const method = options.method ?? 'GET';
      const query = new URLSearchParams(params).toString();
      const path = options.path ?? '/api/command';
      const init: RequestInit = { headers: { authorization: `Bearer ${token}` } };
      let url = `${svc.url}${path}?${query}`;
      if (method === 'POST') {
        url = `${svc.url}${path}`;
        init.method = 'POST';
        init.headers = {
          authorization: `Bearer ${token}`,
          'content-type': 'application/x-www-form-urlencoded',
        };
        init.body = query;
      } else if (method === 'POST-query') {
        init.method = 'POST';
      }
      const response = await fetch(url, init);
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        body: await response.text(),
      };
    };
    const events = () => receiver.accepted.map((body) => new URLSearchParams(body));
    const arrived = (n: number) =>
      waitUntil(() => receiver.accepted.length >= n, `${n} events at the receiver`).then(
        () => undefined,
      );
    return {
      svc,
      receiver,
      tokens,
      recipientId: recipient.id as number,
      command,
      ok,
      events,
      arrived,
      stop: async () => {
        await svc.stop();
        await receiver.close();
      },
    };
  } catch (error) {
    await svc.stop();
    await receiver.close();
    throw error;
  }
}
