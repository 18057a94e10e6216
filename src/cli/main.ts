import { Command, CommanderError } from 'commander';
import { apiAccountCommands } from './api-account.js';
import { customFieldCommands } from './custom-field.js';
import { eventCommands } from './events.js';
import { listenCommand } from './listen.js';
import { migrateCommand } from './migrate.js';
import { packageVersion } from './package-version.js';
import { recipientCommands } from './recipient.js';
import { serveCommand } from './serve.js';
import { simulateCommand } from './simulate.js';
import { tokenCommands } from './token.js';
import { userCommands } from './user.js';

const program = new Command('outbound')
  .description(
    'Outbound: durable, ordered delivery of schema-1 support-session events to HTTP recipients',
  )
  .version(packageVersion())
  // Usage errors exit 2 like ours (store-command.ts), in commander's one line (no help text
  // after it to bury it; `--help` gives it).
  .exitOverride();

serveCommand(program);
migrateCommand(program);
tokenCommands(program);
userCommands(program);
apiAccountCommands(program);
customFieldCommands(program);
recipientCommands(program);
eventCommands(program);
listenCommand(program);
simulateCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Commander has already written its message; --help and --version end with code 0.
  if (!(error instanceof CommanderError)) throw error;
  process.exit(error.exitCode === 0 ? 0 : 2);
}
