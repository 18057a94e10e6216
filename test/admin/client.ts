import { Agent, fetch as undiciFetch } from 'undici';
import { quickPasswordHash } from '../support/password.js';
import type { TestService } from '../support/service.js';

export const PASSWORD = 'correct horse battery';

export interface Answer {
  status: number;
  location: string | null;
  headers: Headers;
  text: string;
}

/**
 * A browser-less client of the admin pages: keeps cookies, never follows redirects (tests look
 * at them), and reads the CSRF token from the last page.
 */
export class AdminClient {
  readonly cookies = new Map<string, string>();
  csrf: string | undefined;

  private readonly send: typeof fetch;
  private readonly agent: Agent | undefined;

  constructor(
    readonly baseUrl: string,
    /**
     * `localAddress`: connect from this loopback address (127.0.0.2…), as another client would;
     * `headers`: sent with every request (X-Forwarded-For, as a reverse proxy adds it).
     */
    private readonly options: { localAddress?: string; headers?: Record<string, string> } = {},
  ) {
    const { localAddress } = options;
    const agent = localAddress === undefined ? undefined : new Agent({ localAddress });
    this.agent = agent;
    this.send =
      agent === undefined
        ? fetch
        : (url, init) =>
            undiciFetch(url as string, { ...(init as object), dispatcher: agent }) as never;
  }

  async request(
    method: string,
    path: string,
    body?: URLSearchParams | FormData,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await this.send(`${this.baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...this.options.headers, ...headers },
      ...(body === undefined ? {} : { body }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = (pair ?? '').indexOf('=');
      const name = (pair ?? '').slice(0, at);
      const value = (pair ?? '').slice(at + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(text)?.[1];
    if (csrf !== undefined) this.csrf = csrf;
    return {
      status: response.status,
      location: response.headers.get('location'),
      headers: response.headers,
      text,
    };
  }

  get = (path: string) => this.request('GET', path);

  /** Closes the connections of a client made with `localAddress`. */
  async close(): Promise<void> {
    await this.agent?.close();
  }

  /** A form POST with this page's CSRF token unless `fields.csrf` says otherwise. */
  post(
    path: string,
    fields: Record<string, string | string[]> = {},
    headers: Record<string, string> = {},
  ) {
    const body = new URLSearchParams();
    if (!('csrf' in fields) && this.csrf !== undefined) body.append('csrf', this.csrf);
    for (const [key, value] of Object.entries(fields))
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    return this.request('POST', path, body, headers);
  }

  /** Fills in the sign-in form; with `next`, the page to return to, as /login passes it on. */
  async signIn(username: string, password = PASSWORD, next?: string): Promise<Answer> {
    await this.get('/login');
    const query = next === undefined ? '' : `?next=${encodeURIComponent(next)}`;
    return this.post(`/login${query}`, { username, password });
  }

  /** A multipart form POST (as a browser sends a form with a file), CSRF token first. */
  postMultipart(path: string, fields: [string, string][]): Promise<Answer> {
    const form = new FormData();
    form.append('csrf', this.csrf!);
    for (const [key, value] of fields) form.append(key, value);
    return this.request('POST', path, form);
  }

  /** The recipients' server-sent event stream with this session, left unread for the test. */
  openStream(signal?: AbortSignal): Promise<Response> {
    return fetch(`${this.baseUrl}/admin/recipients/stream`, {
      headers: { cookie: `outbound_session=${this.cookies.get('outbound_session')}` },
      ...(signal === undefined ? {} : { signal }),
    });
  }
}

/** The fields of a form that sets a password: a user name and the password typed twice. */
export function passwordFields(username: string, password = PASSWORD): Record<string, string> {
  return { username, password, password2: password };
}

/** An administrator named `name` with PASSWORD in the service's store. */
export async function addUser(svc: TestService, name: string): Promise<void> {
  await svc.service.store.admin.createUser(name, await quickPasswordHash(PASSWORD), Date.now());
}

/** An administrator in the service's store, and a client signed in as it. */
export async function signedIn(svc: TestService, name = 'admin'): Promise<AdminClient> {
  if ((await svc.service.store.admin.findUser(name)) === undefined) await addUser(svc, name);
  const client = new AdminClient(svc.url);
  const answer = await client.signIn(name);
  if (answer.status !== 303) throw new Error(`sign-in failed: ${answer.status} ${answer.text}`);
  await client.get('/admin/recipients');
  return client;
}
