import type { Command } from 'commander';
import { userNameProblem } from '../admin/user-name.js';
import { cliActor, NO_LOG } from '../audit/index.js';
import { hashPassword, passwordProblem } from '../credentials/password.js';
import { OutboundError } from '../errors.js';
import { setUserApiGrants } from '../operations/api-accounts.js';
import type { Store } from '../store/store.js';
import { auditCliChange } from './audit-change.js';
import { readNewPassword } from './password-prompt.js';
import { action, UsageError, withStore } from './store-command.js';

interface ApiGrantOptions {
  reportingApi?: boolean;
  commandApi?: boolean;
}

/** The grants the flags name, set to `given`; a flag left out changes nothing. */
function grantsOf(options: ApiGrantOptions, given: boolean) {
  return {
    reporting: options.reportingApi ? given : undefined,
    command: options.commandApi ? given : undefined,
  };
}

async function grantApi(
  store: Store,
  name: string,
  grants: { reporting?: boolean; command?: boolean },
): Promise<{ reporting: boolean; command: boolean }> {
  try {
    return await setUserApiGrants({ store, clock: Date.now }, name, grants, {
      actor: cliActor(),
      log: NO_LOG,
    });
  } catch (error) {
    if (error instanceof OutboundError && error.status < 500) throw new UsageError(error.message);
    throw error;
  }
}

export function userCommands(program: Command): void {
  const user = program.command('user').description('manage administrators of the web interface');

  user
    .command('add')
    .description(
      'create an administrator; the password is asked twice at a terminal, or read as the first line of stdin',
    )
    .argument('<name>', 'user name to sign in with')
    .option('--reporting-api', 'allow legacy username/password calls of the Reporting API')
    .option('--command-api', 'allow legacy username/password calls of the Command API')
    .option('--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)')
    .action(
      action(async (name: string, options: ApiGrantOptions & { databaseUrl?: string }) => {
        const nameProblem = userNameProblem(name);
        if (nameProblem !== undefined) throw new UsageError(nameProblem);
        const password = await readNewPassword();
        const problem = passwordProblem(password);
        if (problem !== undefined) throw new UsageError(problem);
        const hash = await hashPassword(password);
        await withStore(options.databaseUrl, async (store) => {
          const created = await store.admin.createUser(name, hash, Date.now());
          if (created === undefined) throw new UsageError(`a user named "${name}" already exists`);
          await auditCliChange(store, 'user.add', `user ${name}`, null, { name });
          const grants = grantsOf(options, true);
          if (grants.reporting || grants.command) await grantApi(store, name, grants);
        });
        process.stderr.write(`created administrator "${name}"; sign in at /login\n`);
      }),
    );

  user
    .command('list')
    .description('list administrators')
    .option('--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)')
    .action(
      action(async (options: { databaseUrl?: string }) => {
        const users = await withStore(options.databaseUrl, (store) => store.admin.listUsers());
        // No lock to show: failed sign-ins slow down the address that made them, not the user.
        for (const u of users) {
          const last = u.lastSignInAt ? new Date(u.lastSignInAt).toISOString() : 'never';
          process.stdout.write(`${u.name}\tlast sign-in ${last}\n`);
        }
      }),
    );

  for (const [verb, given] of [
    ['grant', true],
    ['revoke', false],
  ] as const) {
    user
      .command(verb)
      .description(
        `${verb === 'grant' ? 'give' : 'take'} an administrator legacy username/password access to the Reporting or Command API (no option: show what it has)`,
      )
      .argument('<name>', 'user name')
      .option('--reporting-api', 'the Reporting API')
      .option('--command-api', 'the Command API (every action: administrators are full users)')
      .option('--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)')
      .action(
        action(async (name: string, options: ApiGrantOptions & { databaseUrl?: string }) => {
          const grants = await withStore(options.databaseUrl, async (store) => {
            const change = grantsOf(options, given);
            if (change.reporting === undefined && change.command === undefined) {
              const found = (await store.apiAccounts.listUserGrants()).find((u) => u.name === name);
              if (found === undefined) throw new UsageError(`no user named "${name}"`);
              return found;
            }
            return grantApi(store, name, change);
          });
          process.stdout.write(
            `${name}: reporting API ${grants.reporting ? 'yes' : 'no'}, command API ${grants.command ? 'yes' : 'no'}\n`,
          );
        }),
      );
  }

  user
    .command('remove')
    .description('remove an administrator (signs out its sessions)')
    .argument('<name>', 'user name')
    .option('--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)')
    .action(
      action(async (name: string, options: { databaseUrl?: string }) => {
        await withStore(options.databaseUrl, async (store) => {
          if (!(await store.admin.deleteUser(name)))
            throw new UsageError(`no user named "${name}"`);
          await auditCliChange(store, 'user.remove', `user ${name}`, { name }, null);
        });
        process.stdout.write(`removed user "${name}"\n`);
      }),
    );
}
