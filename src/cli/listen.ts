import type { Command } from 'commander';
import {
  createOutput,
  describeAnswers,
  Listener,
  summarize,
  wantsColor,
} from '../listener/index.js';
import { newSeed } from '../random.js';
import { numberFlag } from './number-flag.js';
import { action, UsageError } from './store-command.js';

interface ListenFlags {
  port: string;
  host: string;
  json?: boolean;
  out?: string;
  failRate?: string;
  status?: string;
  seed?: string;
  delay?: string;
}

export function listenCommand(program: Command): void {
  program
    .command('listen')
    .description(
      'a receiver for development: prints each event, checks it against schema 1, can fail on purpose',
    )
    .option('--port <port>', 'TCP port', '9000')
    .option('--host <host>', 'interface (0.0.0.0 for other machines)', '127.0.0.1')
    .option('--json', 'print JSON lines instead of readable lines')
    .option('--out <file>', 'also append JSON lines to this file')
    .option('--fail-rate <share>', 'answer a failure to this share of requests, 0 to 1 (e.g. 0.2)')
    .option(
      '--status <code>',
      'status of a failure (default 500); alone: answer every request with it',
    )
    .option('--seed <seed>', 'make --fail-rate choose the same requests each run')
    .option('--delay <ms>', 'wait this long before answering each request')
    .action(
      action(async (flags: ListenFlags) => {
        const port = numberFlag(flags.port, '--port', { min: 0, max: 65_535, integer: true });
        const failRate =
          flags.failRate === undefined
            ? undefined
            : numberFlag(flags.failRate, '--fail-rate', { min: 0, max: 1 });
        const status =
          flags.status === undefined
            ? undefined
            : numberFlag(flags.status, '--status', { min: 100, max: 599, integer: true });
        const delayMs =
          flags.delay === undefined ? 0 : numberFlag(flags.delay, '--delay', { min: 0 });
        const seed = flags.seed ?? (failRate !== undefined ? newSeed() : undefined);
        const answers = { failRate, status, seed, delayMs };

        let output: ReturnType<typeof createOutput>;
        try {
          output = createOutput({
            stream: process.stdout,
            json: flags.json,
            color: wantsColor(process.stdout),
            outFile: flags.out,
          });
        } catch (error) {
          throw new UsageError(`--out ${flags.out}: ${(error as Error).message}`);
        }
        let listener: Listener;
        try {
          listener = await Listener.start({
            port,
            host: flags.host,
            ...answers,
            onRecord: (record) => output.write(record),
          });
        } catch (error) {
          output.close();
          const code = (error as { code?: string }).code;
          if (code === 'EADDRINUSE') {
            throw new UsageError(`port ${port} on ${flags.host} is in use: choose another --port`);
          }
          if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
            throw new UsageError(`cannot listen on --host ${flags.host} (${code})`);
          }
          throw error;
        }

        const also = flags.out === undefined ? '' : `; appending JSON lines to ${flags.out}`;
        process.stderr.write(
          `outbound listen: listening on ${listener.url}, ${describeAnswers(answers)}; ` +
            `checking every request against schema 1${also}. Ctrl-C to stop.\n`,
        );

        let stopping = false;
        const stop = () => {
          if (stopping) process.exit(0);
          stopping = true;
          process.stderr.write(`\noutbound listen: ${summarize(listener.stats)}\n`);
          listener.close().then(() => {
            output.close();
            process.exit(0);
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      }),
    );
}
