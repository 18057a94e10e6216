import type { Command } from 'commander';
import { hashToken, newToken } from '../operations/tokens.js';
import { auditCliChange } from './audit-change.js';
import { action, UsageError, withStore } from './store-command.js';

export function tokenCommands(program: Command): void {
  const token = program.command('token').description('manage API tokens');

  token
    .command('create')
    .description(
      'create an API token and print it (only the token, on stdout; it is not shown again)',
    )
    .requiredOption('--name <name>', 'what the token is for')
    .option('--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)')
    .action(
      action(async (options: { name: string; databaseUrl?: string }) => {
        if (options.name.trim() === '') throw new UsageError('--name must not be empty');
        const secret = newToken();
        await withStore(options.databaseUrl, async (store) => {
          const created = await store.createToken(options.name, hashToken(secret), Date.now());
          // Never the token itself: its id and name.
          await auditCliChange(
            store,
            'token.create',
            `token ${created.id} (${options.name})`,
            null,
            {
              id: created.id,
              name: options.name,
            },
          );
        });
        process.stdout.write(`${secret}\n`);
      }),
    );

  token
    .command('list')
    .description('list API tokens (never their values)')
    .option('--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)')
    .action(
      action(async (options: { databaseUrl?: string }) => {
        const tokens = await withStore(options.databaseUrl, (store) => store.listTokens());
        for (const t of tokens) {
          const state = t.revokedAt ? `revoked ${new Date(t.revokedAt).toISOString()}` : 'active';
          const used = t.lastUsedAt ? new Date(t.lastUsedAt).toISOString() : 'never';
          process.stdout.write(`${t.id}\t${t.name}\t${state}\tlast used ${used}\n`);
        }
      }),
    );

  token
    .command('revoke')
    .description('revoke an API token by id (see token list)')
    .argument('<id>', 'token id')
    .option('--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)')
    .action(
      action(async (id: string, options: { databaseUrl?: string }) => {
        if (!/^\d+$/.test(id)) throw new UsageError(`token id must be a number, got "${id}"`);
        await withStore(options.databaseUrl, async (store) => {
          const token = (await store.listTokens()).find((t) => t.id === Number(id));
          if (token === undefined || !(await store.revokeToken(Number(id), Date.now())))
            throw new UsageError(`no active token with id ${id}`);
          await auditCliChange(
            store,
            'token.revoke',
            `token ${id} (${token.name})`,
            { revoked: false },
            { revoked: true },
          );
        });
        process.stdout.write(`revoked token ${id}\n`);
      }),
    );
}
