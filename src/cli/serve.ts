import type { Command } from 'commander';
import { setupLinkIfNoAdmin } from '../admin/index.js';
import { loadConfig } from '../config/config.js';
import { Service } from '../service.js';
import { action } from './store-command.js';

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
        const service: Service = new Service(config, {
          onFatal: (error) => {
            service.app.log.fatal({ err: error }, 'delivery stopped');
            service.stop().finally(() => process.exit(1));
          },
        });
        const address = await service.start();
        service.app.log.info({ address, databaseUrl: config.databaseUrl }, 'outbound serving');
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
