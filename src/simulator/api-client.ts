import { Agent, request } from 'undici';
import type { Step } from './steps.js';

/** An API call that did not succeed: a non-2xx answer, or no answer. */
export class ApiCallError extends Error {
  readonly code = 'OUTBOUND_API_CALL';

  constructor(
    message: string,
    /** The HTTP status; undefined when there was no answer. */
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiCallError';
  }
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

/** The Outbound API with one token, over keep-alive connections. */
export class ApiClient {
  private readonly base: string;
  private readonly agent: Agent;

  constructor(
    url: string,
    private readonly token: string,
    options: { connections?: number; timeoutMs?: number } = {},
  ) {
    this.base = url.endsWith('/') ? url : `${url}/`;
    const timeout = options.timeoutMs ?? 30_000;
    this.agent = new Agent({
      connections: options.connections ?? 8,
      keepAliveTimeout: 10_000,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
  }

  /** Calls `path` (e.g. `/api/v1/sessions`); throws ApiCallError unless the answer is 2xx. */
  async call(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const what = `${method} ${path}`;
    let status: number;
    let text: string;
    try {
      const response = await request(new URL(path.replace(/^\//, ''), this.base), {
        method: method as 'GET',
        dispatcher: this.agent,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      const reason = (error as { code?: string }).code ?? (error as Error).message;
      throw new ApiCallError(`${what}: no answer (${reason})`, undefined, { cause: error });
    }
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text for the message
    }
    if (status < 200 || status > 299) {
      const message =
        typeof parsed === 'object' && parsed !== null && 'message' in parsed
          ? String((parsed as { message: unknown }).message)
          : String(text).slice(0, 200);
      throw new ApiCallError(`${what} → ${status}${message ? `: ${message}` : ''}`, status);
    }
    return { status, body: parsed };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** A session while it is being driven: its lsid and the member id of each ref. */
export interface LiveSession {
  lsid?: string;
  members: Map<number, string>;
}

/** Makes the sessions-API call for `step` (CONTRACT §5). */
export async function performStep(api: ApiClient, session: LiveSession, step: Step): Promise<void> {
  if (step.call === 'create') {
    const body: Record<string, unknown> = {};
    if (step.externalKey !== undefined) body.external_key = step.externalKey;
    if (step.owner !== undefined) body.owner = step.owner;
    const response = await api.call('POST', '/api/v1/sessions', body);
    const lsid = (response.body as { lsid?: unknown } | undefined)?.lsid;
    if (typeof lsid !== 'string' && typeof lsid !== 'number') {
      throw new ApiCallError('POST /api/v1/sessions: the answer holds no lsid', response.status);
    }
    session.lsid = String(lsid);
    return;
  }
  if (session.lsid === undefined) throw new Error('the session was not created');
  const at = `/api/v1/sessions/${encodeURIComponent(session.lsid)}`;
  switch (step.call) {
    case 'external-key':
      await api.call('PUT', `${at}/external-key`, { external_key: step.externalKey });
      return;
    case 'owner':
      await api.call('POST', `${at}/owner`, step.owner);
      return;
    case 'join': {
      const body = step.details ? { ...step.member, details: step.details } : step.member;
      const response = await api.call('POST', `${at}/members`, body);
      const id = (response.body as { memberId?: unknown } | undefined)?.memberId;
      if (typeof id !== 'string' && typeof id !== 'number') {
        throw new ApiCallError(`POST ${at}/members: the answer holds no memberId`, response.status);
      }
      session.members.set(step.ref, String(id));
      return;
    }
    case 'leave': {
      const id = session.members.get(step.ref);
      if (id === undefined) throw new Error(`member ${step.ref} never joined`);
      await api.call('DELETE', `${at}/members/${encodeURIComponent(id)}`);
      return;
    }
    case 'end':
      await api.call('POST', `${at}/end`);
      return;
    case 'survey':
      await api.call(
        'POST',
        `${at}/surveys/${step.party}`,
        step.answers ? { answers: step.answers } : undefined,
      );
      return;
    case 'chat': {
      const body: Record<string, unknown> = { from: memberId(session, step.from), body: step.body };
      if (step.to !== undefined) body.to = memberId(session, step.to);
      await api.call('POST', `${at}/chat`, body);
      return;
    }
    case 'note':
      await api.call('POST', `${at}/notes`, { by: memberId(session, step.by), body: step.body });
      return;
    case 'file':
      await api.call('POST', `${at}/files`, {
        by: memberId(session, step.by),
        direction: step.direction,
        filename: step.filename,
        filesize: step.filesize,
      });
      return;
    case 'attributes':
      await api.call('PUT', `${at}/attributes`, step.values);
      return;
  }
}

/** The service's id of member `ref`, as the JSON number the API takes. */
function memberId(session: LiveSession, ref: number): number {
  const id = session.members.get(ref);
  if (id === undefined) throw new Error(`member ${ref} never joined`);
  return Number(id);
}
