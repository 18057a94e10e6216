import { ApiCallError, ApiClient } from './api-client.js';

/**
 * Checks, before any session starts, that the service answers at `url` and takes the token:
 * otherwise every session would fail with the same error. Returns how many enabled
 * recipients will get the events.
 */
export async function checkService(url: string, token: string): Promise<{ recipients: number }> {
  const api = new ApiClient(url, token, { connections: 1, timeoutMs: 10_000 });
  try {
    const { body } = await api.call('GET', '/api/v1/recipients');
    const list = (body as { recipients?: { enabled?: boolean }[] } | undefined)?.recipients;
    return { recipients: Array.isArray(list) ? list.filter((r) => r.enabled !== false).length : 0 };
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    if (error.status === undefined) {
      const cause = error.cause as { code?: string; message?: string } | undefined;
      throw new ApiCallError(
        `cannot reach the service at ${url} (${cause?.code ?? cause?.message}): is \`outbound serve\` running there?`,
        undefined,
        { cause: error },
      );
    }
    if (error.status === 401 || error.status === 403) {
      throw new ApiCallError(
        `the service at ${url} refused the token (${error.status})`,
        error.status,
      );
    }
    throw error;
  } finally {
    await api.close();
  }
}
