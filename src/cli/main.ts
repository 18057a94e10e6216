import { Command } from 'commander';
import { listenCommand } from './listen.js';
import { migrateCommand } from './migrate.js';
import { recipientCommands } from './recipient.js';
import { serveCommand } from './serve.js';
import { simulateCommand } from './simulate.js';
import { tokenCommands } from './token.js';
import { userCommands } from './user.js';

const program = new Command('outbound')
  .description(
    'Outbound: durable, ordered delivery of schema-1 support-session events to HTTP recipients',
  )
  .version('0.1.0')
  .showHelpAfterError();

serveCommand(program);
migrateCommand(program);
tokenCommands(program);
userCommands(program);
recipientCommands(program);
listenCommand(program);
simulateCommand(program);

await program.parseAsync(process.argv);
