import { type ResolveAll, resolveWithDns } from './destination-connector.js';
import type { DestinationPolicy } from './destination-policy.js';

/** How long saving a recipient waits for DNS before it gives up on the warning. */
const RESOLVE_TIMEOUT_MS = 500;

/**
 * The warnings for saving a recipient with `url`: its host is refused by name or as an address,
 * or resolves now to a refused address. Only a warning: the recipient is saved all the same,
 * because the policy is applied at connect time (DNS may answer otherwise by then). Never
 * fails and never waits long: DNS errors and slow answers give no warning.
 */
export async function destinationWarnings(
  policy: DestinationPolicy,
  url: string,
  options: { resolve?: ResolveAll; timeoutMs?: number } = {},
): Promise<string[]> {
  let hostname: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return [];
    hostname = parsed.hostname;
  } catch {
    return [];
  }
  const byHost = policy.checkHost(hostname);
  if (byHost !== null) return [warning(byHost.reason)];
  if (hostname.startsWith('[') || /^[\d.]+$/.test(hostname)) return [];
  const addresses = await resolveQuickly(
    options.resolve ?? resolveWithDns,
    hostname,
    options.timeoutMs ?? RESOLVE_TIMEOUT_MS,
  );
  const warnings: string[] = [];
  for (const { address } of addresses) {
    const refusal = policy.checkAddress(address);
    if (refusal !== null)
      warnings.push(warning(`${hostname} resolves now to ${address}; ${refusal.reason}`));
  }
  return warnings;
}

function warning(reason: string): string {
  return `deliveries to this URL will be refused by the destination policy: ${reason}`;
}

async function resolveQuickly(resolve: ResolveAll, hostname: string, timeoutMs: number) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<[]>((settle) => {
    timer = setTimeout(settle, timeoutMs, []);
  });
  try {
    return await Promise.race([resolve(hostname, {}).catch(() => []), late]);
  } finally {
    clearTimeout(timer);
  }
}
