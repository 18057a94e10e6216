import type { Command } from 'commander';
import { hashPassword, passwordProblem } from '../admin/password.js';
import { userNameProblem } from '../admin/user-name.js';
import { auditCliChange } from './audit-change.js';
import { readNewPassword } from './password-prompt.js';
import { action, UsageError, withStore } from './store-command.js';

export function userCommands(program: Command): void {
  const user = program.command('user').description('manage administrators of the web interface');

  user
    .command('add')
    .description(
      'create an administrator; the password is asked twice at a terminal, or read as the first line of stdin',
    )
    .argument('<name>', 'user name to sign in with')
    .option('--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)')
    .action(
      action(async (name: string, options: { databaseUrl?: string }) => {
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
