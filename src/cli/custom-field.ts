import type { Command } from 'commander';
import { cliActor, NO_LOG } from '../audit/index.js';
import { OutboundError } from '../errors.js';
import {
  addCustomField,
  customFieldJson,
  listCustomFields,
  removeCustomField,
} from '../operations/custom-fields.js';
import type { Store } from '../store/store.js';
import { action, UsageError, withStore } from './store-command.js';

/** The operations need a store and a clock; the CLI has no other context. */
const ctxOf = (store: Store) => ({ store, clock: Date.now });
const by = () => ({ actor: cliActor(), log: NO_LOG });

/** A refusal of the operations (taken, missing, invalid) as a one-line usage error. */
async function refusedAsUsage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof OutboundError && error.status < 500) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * `outbound custom-field add|list|remove`: custom session attribute definitions, which
 * integrations set as `session.custom.<code_name>` (Command API) or through the sessions API.
 */
export function customFieldCommands(program: Command): void {
  const field = program
    .command('custom-field')
    .description('manage custom session attribute definitions (session.custom.<code_name>)');

  field
    .command('add')
    .description('define a custom session attribute')
    .argument('<code_name>', 'a-z first, then a-z, 0-9 and _ (at most 64); case-sensitive')
    .requiredOption('--display-name <name>', 'the name the reports show (1–255 characters)')
    .option('--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)')
    .action(
      action(async (codeName: string, options: { displayName: string; databaseUrl?: string }) => {
        const added = await withStore(options.databaseUrl, (store) =>
          refusedAsUsage(() =>
            addCustomField(
              ctxOf(store),
              { code_name: codeName, display_name: options.displayName },
              by(),
            ),
          ),
        );
        process.stdout.write(`added custom field ${added.codeName} (${added.displayName})\n`);
      }),
    );

  field
    .command('list')
    .description('list the definitions: code name, tab, display name')
    .option('--json', 'as a JSON array')
    .option('--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)')
    .action(
      action(async (options: { json?: boolean; databaseUrl?: string }) => {
        const fields = await withStore(options.databaseUrl, (store) =>
          listCustomFields(ctxOf(store)),
        );
        if (options.json) {
          process.stdout.write(`${JSON.stringify(fields.map(customFieldJson), null, 2)}\n`);
          return;
        }
        for (const f of fields) process.stdout.write(`${f.codeName}\t${f.displayName}\n`);
      }),
    );

  field
    .command('remove')
    .description('remove a definition (values already set stay in their sessions)')
    .argument('<code_name>', 'the code name')
    .option('--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)')
    .action(
      action(async (codeName: string, options: { databaseUrl?: string }) => {
        await withStore(options.databaseUrl, (store) =>
          refusedAsUsage(() => removeCustomField(ctxOf(store), codeName, by())),
        );
        process.stdout.write(`removed custom field ${codeName}\n`);
      }),
    );
}
