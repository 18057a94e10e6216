/**
 * A real OAuth2 client in PHP (Debian's php-cli and php-xml; .ci/run installs them) gets a
 * token with HTTP Basic and fetches a session's report with it. Without PHP the test fails
 * saying what to install: it never skips.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_LOG } from '../../src/audit/index.js';
import { createApiAccount } from '../../src/operations/api-accounts.js';
import { requirePhp } from '../support/php.js';
import { startService, type TestService } from '../support/service.js';

const CLIENT = fileURLToPath(new URL('./php/oauth-client.php', import.meta.url));

function php(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('php', [CLIENT, ...args], (error, stdout, stderr) =>
      error ? reject(new Error(`php failed: ${stderr}${stdout}`)) : resolve(stdout),
    ),
  );
}

let svc: TestService;
beforeAll(async () => {
  svc = await startService();
});
afterAll(() => svc?.stop());

describe('a PHP OAuth2 client', () => {
  it('gets a token with HTTP Basic and reads a session report with it', async () => {
    requirePhp('the OAuth2 client test');
    const started = await svc.api('POST', '/api/v1/sessions', {});
    expect(started.status).toBe(201);
    const lsid = started.body.lsid as string;
    const { account, clientSecret } = await createApiAccount(
      { store: svc.service.store, clock: Date.now },
      { name: 'php-integration', reporting: true, command: 'deny' },
      { actor: 'test', log: NO_LOG },
    );
    const out = await php(svc.url, account.clientId, clientSecret, lsid);
    expect(out).toContain('token_type=Bearer expires_in=3600');
    expect(out).toContain(
      'report root=session_list ns=http://www.bomgar.com/namespaces/API/reporting',
    );
    expect(out).toContain(`session lsid=${lsid}`);
    expect(out).toContain('wrong secret: HTTP 401 error=invalid_client');
  });
});
