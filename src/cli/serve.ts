import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { setupLinkIfNoAdmin } from '../admin/index.js';
import { loadConfig } from '../config/config.js';
import { Service } from '../service.js';
import { loadSqliteDriver, useBetterSqlite3Addon } from '../sqlite/index.js';
import { sqliteFileOf } from '../store/open.js';
import { databaseLabel, reportStartupFailure } from './startup-failure.js';
import { action } from './store-command.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

interface ServeFlags {
  port?: string;
  host?: string;
  databaseUrl?: string;
  config?: string;
}

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('run the service: API, delivery, metrics')
    .option('--port <port>', 'TCP port (env OUTBOUND_PORT, default 8080)')
    .option('--host <host>', 'interface (env OUTBOUND_HOST, default 127.0.0.1)')
    .option(
      '--database-url <url>',
      'store (env OUTBOUND_DATABASE_URL, default sqlite:./data/outbound.db)',
    )
    .option('--config <file>', 'JSON config file (env OUTBOUND_CONFIG)')
    .action(
      action(async (flags: ServeFlags) => {
        const config = loadConfig(
          { port: flags.port, host: flags.host, databaseUrl: flags.databaseUrl },
          process.env,
          flags.config ?? process.env.OUTBOUND_CONFIG,
        );
        useBetterSqlite3Addon(config.betterSqlite3Addon ?? undefined);
        // Said once started: a path that was meant to name an existing database shows here.
        const file = sqliteFileOf(config.databaseUrl);
        const created = file !== undefined && !existsSync(file) ? file : undefined;
        let service: Service | undefined;
        let address: string;
        try {
          const started: Service = new Service(config, {
            onFatal: (error) => {
              started.app.log.fatal({ err: error }, 'delivery stopped');
              started.stop().finally(() => process.exit(1));
            },
          });
          service = started;
          address = await started.start();
        } catch (error) {
          // A corrupt or read-only file, an unreachable PostgreSQL, a port in use: one line.
          reportStartupFailure(error, config.databaseUrl, config.logLevel);
          await Promise.race([service?.stop().catch(() => {}), sleep(2_000)]);
          process.exit(2);
        }
        if (created !== undefined) service.app.log.info(`created a new database at ${created}`);
        if (config.databaseUrl.startsWith('sqlite:')) {
          // Loaded already by the store (once per process): which one auto chose on this Node.
          const driver = loadSqliteDriver(config.sqliteDriver);
          service.app.log.info(
            { sqliteDriver: driver.name, choice: config.sqliteDriver },
            `SQLite driver: ${driver.description}`,
          );
        }
        service.app.log.info(
          { address, database: databaseLabel(config.databaseUrl) },
          'outbound serving',
        );
        if ((await service.store.listTokens()).every((t) => t.revokedAt !== null)) {
          service.app.log.warn(
            'no API token yet: create one with `outbound token create --name NAME`',
          );
        }
        const setupUrl = await setupLinkIfNoAdmin(service.store, address);
        if (setupUrl !== undefined) {
          // On the console, whatever the log level: the operator needs it to get in at all.
          process.stderr.write(
            `\nNo administrator yet. Create the first one at this one-time link:\n\n  ${setupUrl}\n\n(or run \`outbound user add NAME\`, then sign in at ${address}/login)\n\n`,
          );
        }
        let signals = 0;
        const shutdown = (signal: string) => {
          signals++;
          if (signals > 1) process.exit(1);
          service.app.log.info({ signal }, 'shutting down');
          service.stop().then(
            () => process.exit(0),
            (error) => {
              service.app.log.error({ err: error }, 'shutdown failed');
              process.exit(1);
            },
          );
        };
        process.on('SIGTERM', () => shutdown('SIGTERM'));
        process.on('SIGINT', () => shutdown('SIGINT'));
      }),
    );
}
