import { hashPassword } from '../../src/admin/password.js';
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

  constructor(readonly baseUrl: string) {}

  async request(
    method: string,
    path: string,
    body?: URLSearchParams | FormData,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...headers },
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

  async signIn(username: string, password = PASSWORD): Promise<Answer> {
    await this.get('/login');
    return this.post('/login', { username, password });
  }
}

/** An administrator in the service's store, and a client signed in as it. */
export async function signedIn(svc: TestService, name = 'admin'): Promise<AdminClient> {
  if ((await svc.service.store.admin.findUser(name)) === undefined)
    await svc.service.store.admin.createUser(name, await hashPassword(PASSWORD), Date.now());
  const client = new AdminClient(svc.url);
  const answer = await client.signIn(name);
  if (answer.status !== 303) throw new Error(`sign-in failed: ${answer.status} ${answer.text}`);
  await client.get('/admin/recipients');
  return client;
}
