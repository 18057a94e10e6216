import type { Command } from 'commander';
import { newSeed } from '../random.js';
import {
  ApiCallError,
  checkService,
  formatSummary,
  ProgressDisplay,
  Simulation,
} from '../simulator/index.js';
import { numberFlag } from './number-flag.js';
import { action, UsageError } from './store-command.js';

interface SimulateFlags {
  url: string;
  token?: string;
  sessions: string;
  rate: string;
  concurrency: string;
  seed?: string;
}

export function simulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('drive realistic support sessions through the API of a running service')
    .option('--url <url>', 'the service', 'http://127.0.0.1:8080')
    .option('--token <token>', 'API token (env OUTBOUND_TOKEN)')
    .option('--sessions <n>', 'sessions to run', '10')
    .option('--rate <r>', 'sessions started per second (0 = no limit)', '5')
    .option('--concurrency <n>', 'sessions in progress at once', '8')
    .option('--seed <seed>', 'the same seed runs the same sessions (default: random, printed)')
    .action(
      action(async (flags: SimulateFlags) => {
        const token = flags.token ?? process.env.OUTBOUND_TOKEN;
        if (token === undefined || token.trim() === '') {
          throw new UsageError(
            'an API token is required: --token TOKEN or env OUTBOUND_TOKEN ' +
              '(create one with `outbound token create --name simulator`)',
          );
        }
        const url = serviceUrl(flags.url);
        const options = {
          url,
          token: token.trim(),
          sessions: numberFlag(flags.sessions, '--sessions', { min: 1, integer: true }),
          rate: numberFlag(flags.rate, '--rate', { min: 0 }),
          concurrency: numberFlag(flags.concurrency, '--concurrency', { min: 1, integer: true }),
          seed: flags.seed ?? newSeed(),
        };

        let recipients: number;
        try {
          ({ recipients } = await checkService(url, options.token));
        } catch (error) {
          if (!(error instanceof ApiCallError)) throw error;
          process.stderr.write(`outbound simulate: ${error.message}\n`);
          process.exitCode = 1;
          return;
        }
        if (recipients === 0) {
          process.stderr.write(
            'outbound simulate: note: no enabled recipient, so the events are stored but sent ' +
              'nowhere (add one with `outbound recipient add NAME URL`)\n',
          );
        }
        const pace = options.rate > 0 ? `${options.rate}/s` : 'no rate limit';
        process.stderr.write(
          `outbound simulate: ${options.sessions} sessions against ${url}, ${pace}, ` +
            `${options.concurrency} at once, seed ${options.seed}\n`,
        );

        const abort = new AbortController();
        const interrupt = () => {
          if (abort.signal.aborted) process.exit(130);
          process.stderr.write('\noutbound simulate: stopping; sessions in progress finish\n');
          abort.abort();
        };
        process.on('SIGINT', interrupt);
        const simulation = new Simulation({
          ...options,
          signal: abort.signal,
          onNotice: (line) => process.stderr.write(`outbound simulate: ${line}\n`),
        });
        const progress = new ProgressDisplay(process.stderr, () => simulation.progress);
        progress.start();
        try {
          const result = await simulation.run();
          progress.stop();
          process.stdout.write(formatSummary(result, { url, seed: options.seed }));
          process.exitCode = result.errors > 0 ? 1 : result.interrupted ? 130 : 0;
        } finally {
          progress.stop();
          process.off('SIGINT', interrupt);
        }
      }),
    );
}

function serviceUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--url must be a URL such as http://127.0.0.1:8080, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--url must be http:// or https://, got "${value}"`);
  }
  return value.replace(/\/+$/, '');
}
