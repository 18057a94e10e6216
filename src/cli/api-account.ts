import type { Command } from 'commander';
import { cliActor, NO_LOG } from '../audit/index.js';
import { OutboundError } from '../errors.js';
import {
  type ChangedBy,
  commandPermission,
  createApiAccount,
  legacyApiAuthSetting,
  listApiAccounts,
  liveTokenCounts,
  regenerateApiAccountSecret,
  removeApiAccount,
  setApiAccountEnabled,
  setApiAccountPermissions,
  setLegacyApiAuth,
} from '../operations/api-accounts.js';
import type { CommandPermission } from '../store/api-account-store.js';
import type { Store } from '../store/store.js';
import { action, UsageError, withStore } from './store-command.js';

const DB = ['--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)'] as const;

/** The operations' refusals (no such account, a taken name) as one line and exit code 2. */
async function run<T>(
  databaseUrl: string | undefined,
  fn: (ctx: { store: Store; clock: () => number }, by: ChangedBy) => Promise<T>,
): Promise<T> {
  return withStore(databaseUrl, async (store) => {
    try {
      return await fn({ store, clock: Date.now }, { actor: cliActor(), log: NO_LOG });
    } catch (error) {
      if (error instanceof OutboundError && error.status < 500) throw new UsageError(error.message);
      throw error;
    }
  });
}

function permission(value: string | undefined): CommandPermission | undefined {
  if (value === undefined) return undefined;
  try {
    return commandPermission(value);
  } catch (error) {
    throw new UsageError(`--command: ${(error as Error).message}`);
  }
}

function printCredentials(clientId: string, clientSecret: string, json: boolean | undefined) {
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ client_id: clientId, client_secret: clientSecret })}\n`,
    );
    return;
  }
  process.stdout.write(`client_id: ${clientId}\nclient_secret: ${clientSecret}\n`);
  process.stderr.write('keep the secret now: it is not shown again (only its hash is stored)\n');
}

/**
 * `outbound api-account …`: the OAuth2 clients of the Reporting and Command APIs (names and
 * options are scripted by users: keep them).
 */
export function apiAccountCommands(program: Command): void {
  const accounts = program
    .command('api-account')
    .description(
      'manage API accounts of the Reporting and Command APIs (OAuth2 client credentials)',
    );

  accounts
    .command('add')
    .description('create an API account and print its client id and secret (shown only now)')
    .argument('<name>', 'what the account is for, e.g. servicenow')
    .option('--reporting', 'allow the Reporting API (support session reports)')
    .option('--command <permission>', 'Command API: full, read_only or deny', 'deny')
    .option('--json', 'print {"client_id": …, "client_secret": …}')
    .option(...DB)
    .action(
      action(
        async (
          name: string,
          options: { reporting?: boolean; command: string; json?: boolean; databaseUrl?: string },
        ) => {
          const command = permission(options.command) as CommandPermission;
          const { account, clientSecret } = await run(options.databaseUrl, (ctx, by) =>
            createApiAccount(ctx, { name, reporting: options.reporting === true, command }, by),
          );
          printCredentials(account.clientId, clientSecret, options.json);
        },
      ),
    );

  accounts
    .command('list')
    .description('list API accounts: name, client id, state, permissions, live tokens')
    .option('--json', 'print a JSON array')
    .option(...DB)
    .action(
      action(async (options: { json?: boolean; databaseUrl?: string }) => {
        const { list, live } = await run(options.databaseUrl, async (ctx) => ({
          list: await listApiAccounts(ctx),
          live: await liveTokenCounts(ctx),
        }));
        if (options.json) {
          const rows = list.map((a) => ({
            name: a.name,
            client_id: a.clientId,
            enabled: a.enabled,
            reporting: a.reporting,
            command: a.command,
            live_tokens: live.get(a.id) ?? 0,
          }));
          process.stdout.write(`${JSON.stringify(rows)}\n`);
          return;
        }
        for (const a of list) {
          process.stdout.write(
            `${a.name}\t${a.clientId}\t${a.enabled ? 'enabled' : 'disabled'}\treporting ${a.reporting ? 'yes' : 'no'}\tcommand ${a.command}\t${live.get(a.id) ?? 0} live tokens\n`,
          );
        }
      }),
    );

  accounts
    .command('set')
    .description('change what an API account may do')
    .argument('<name>', 'account name')
    .option('--reporting', 'allow the Reporting API')
    .option('--no-reporting', 'deny the Reporting API')
    .option('--command <permission>', 'Command API: full, read_only or deny')
    .option(...DB)
    .action(
      action(
        async (
          name: string,
          options: { reporting?: boolean; command?: string; databaseUrl?: string },
        ) => {
          const command = permission(options.command);
          if (options.reporting === undefined && command === undefined) {
            throw new UsageError('say what to change: --reporting, --no-reporting or --command');
          }
          const account = await run(options.databaseUrl, (ctx, by) =>
            setApiAccountPermissions(ctx, name, { reporting: options.reporting, command }, by),
          );
          process.stdout.write(
            `${account.name}: reporting ${account.reporting ? 'yes' : 'no'}, command ${account.command}\n`,
          );
        },
      ),
    );

  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    accounts
      .command(verb)
      .description(
        enabled
          ? 'enable an API account (it gets new tokens again)'
          : 'disable an API account: its tokens stop working at once',
      )
      .argument('<name>', 'account name')
      .option(...DB)
      .action(
        action(async (name: string, options: { databaseUrl?: string }) => {
          await run(options.databaseUrl, (ctx, by) => setApiAccountEnabled(ctx, name, enabled, by));
          process.stdout.write(`${verb}d API account "${name}"\n`);
        }),
      );
  }

  accounts
    .command('regenerate-secret')
    .description('give an API account a new secret (printed once); the old one and its tokens stop')
    .argument('<name>', 'account name')
    .option('--json', 'print {"client_id": …, "client_secret": …}')
    .option(...DB)
    .action(
      action(async (name: string, options: { json?: boolean; databaseUrl?: string }) => {
        const { account, clientSecret } = await run(options.databaseUrl, (ctx, by) =>
          regenerateApiAccountSecret(ctx, name, by),
        );
        printCredentials(account.clientId, clientSecret, options.json);
      }),
    );

  accounts
    .command('remove')
    .description('remove an API account and its tokens')
    .argument('<name>', 'account name')
    .option(...DB)
    .action(
      action(async (name: string, options: { databaseUrl?: string }) => {
        await run(options.databaseUrl, (ctx, by) => removeApiAccount(ctx, name, by));
        process.stdout.write(`removed API account "${name}"\n`);
      }),
    );

  accounts
    .command('legacy-auth')
    .description(
      'legacy username/password parameters on the APIs: on, off, or show (needs OUTBOUND_LEGACY_API_AUTH=true as well; puts passwords in URLs)',
    )
    .argument('[state]', 'on or off; leave out to show')
    .option(...DB)
    .action(
      action(async (state: string | undefined, options: { databaseUrl?: string }) => {
        if (state !== undefined && state !== 'on' && state !== 'off') {
          throw new UsageError(`legacy-auth takes on or off, got "${state}"`);
        }
        const now = await run(options.databaseUrl, async (ctx, by) => {
          if (state !== undefined) await setLegacyApiAuth(ctx, state === 'on', by);
          return legacyApiAuthSetting(ctx);
        });
        process.stdout.write(
          `legacy API authentication: ${now ? 'on' : 'off'} (the server also needs OUTBOUND_LEGACY_API_AUTH=true)\n`,
        );
      }),
    );
}
