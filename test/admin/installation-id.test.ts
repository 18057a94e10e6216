/** Settings shows this installation's id: what recipients with "Send appliance id" receive. */
import { afterEach, expect, it } from 'vitest';
import { INSTALLATION_ID_KEY } from '../../src/operations/installation.js';
import { startService, type TestService } from '../support/service.js';
import { signedIn } from './client.js';

const services: TestService[] = [];
afterEach(async () => {
  for (const svc of services.splice(0)) await svc.stop();
});

const shownId = (page: string) => /<code data-installation-id>([^<]*)<\/code>/.exec(page)?.[1];

it('shows the generated id, or the one OUTBOUND_APPLIANCE_ID sets and says so', async () => {
  const generated = await startService();
  services.push(generated);
  const page = (await (await signedIn(generated)).get('/admin/settings')).text;
  const stored = await generated.service.store.settings.get(INSTALLATION_ID_KEY);
  expect(shownId(page)).toBe(stored);
  expect(page).toContain('Generated at the first start');

  const overridden = await startService({ applianceId: 'A1B2-legacy&appliance' });
  services.push(overridden);
  const other = (await (await signedIn(overridden)).get('/admin/settings')).text;
  expect(shownId(other)).toBe('A1B2-legacy&amp;appliance');
  expect(other).toContain('Set by OUTBOUND_APPLIANCE_ID');
});
