import type { Command } from 'commander';
import { action, withStore } from './store-command.js';

export function migrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (serve also does this on start)')
    .option('--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)')
    .action(
      action(async (options: { databaseUrl?: string }) => {
        const report = await withStore(options.databaseUrl, (store) => store.migrate(), {
          migrate: false,
        });
        const applied =
          report.applied.length === 0 ? 'nothing to apply' : `applied ${report.applied.join(', ')}`;
        process.stdout.write(`schema version ${report.current}: ${applied}\n`);
      }),
    );
}
