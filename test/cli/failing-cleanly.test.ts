import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliResult, cliArgs, runOutbound } from '../support/cli.js';
import { freePort, ServeProcess, serveUntilStarted } from '../support/serve-process.js';

const execute = promisify(execFile);

/** Runs `outbound …` to its end (serve included): exit code and output. */
async function outbound(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  return runOutbound({ OUTBOUND_LOG_LEVEL: 'info', ...env }, ...args);
}

function withoutDatabaseSettings(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OUTBOUND_DATABASE_URL;
  delete env.OUTBOUND_CONFIG;
  return env;
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outbound-failing-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('serve on a port already in use', () => {
  let blocker: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((ok) => (blocker === undefined ? ok() : blocker.close(() => ok())));
    blocker = undefined;
  });

  it('says so in one line naming the address, exits 2 and leaves the database to the next serve', async () => {
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((ok) => blocker?.listen(port, '127.0.0.1', () => ok()));
    const databaseUrl = `sqlite:${join(dir, 'outbound.db')}`;
    const failed = await outbound(
      {
        OUTBOUND_DATABASE_URL: databaseUrl,
        OUTBOUND_PORT: String(port),
        OUTBOUND_HOST: '127.0.0.1',
        OUTBOUND_LOG_LEVEL: 'silent',
      },
      'serve',
    );
    expect(failed.code).toBe(2);
    expect(lines(failed.stderr)).toEqual([
      expect.stringMatching(
        new RegExp(`^outbound: cannot start: 127\\.0\\.0\\.1:${port} is already in use`),
      ),
    ]);
    // Nothing was left holding the database: a serve on a free port starts on it at once.
    const next = new ServeProcess(await freePort(), { OUTBOUND_DATABASE_URL: databaseUrl });
    next.start();
    try {
      await next.ready();
      expect(next.unexpectedExit).toBeUndefined();
    } finally {
      await next.close();
    }
  }, 60_000);
});

describe('a SQLite database that is not there', () => {
  it('a path whose folder does not exist is refused in one line naming the folder, exit 2, nothing created', async () => {
    const folder = join(dir, 'typo');
    for (const args of [['serve'], ['token', 'create', '--name', 'ci'], ['recipient', 'list']]) {
      const failed = await outbound(
        { OUTBOUND_DATABASE_URL: `sqlite:${join(folder, 'outbound.db')}`, OUTBOUND_PORT: '0' },
        ...args,
      );
      expect(failed.code, args.join(' ')).toBe(2);
      expect(lines(failed.stderr), args.join(' ')).toEqual([
        expect.stringContaining(`the folder ${folder} does not exist`),
      ]);
      expect(existsSync(folder)).toBe(false);
    }
  }, 60_000);

  it('serve says in one line that it created a new database, and not the next time', async () => {
    const path = join(dir, 'outbound.db');
    const started = () => serveUntilStarted({ OUTBOUND_DATABASE_URL: `sqlite:${path}` });
    const first = await started();
    expect(first.match(/created a new database at [^"\n]*/g)).toEqual([
      `created a new database at ${path}`,
    ]);
    expect(await started()).not.toContain('created a new database');
  }, 60_000);

  it('the default ./data folder is created on a fresh checkout', async () => {
    mkdirSync(join(dir, 'checkout'));
    const made = await execute(process.execPath, cliArgs('token', 'create', '--name', 'ci'), {
      cwd: join(dir, 'checkout'),
      env: withoutDatabaseSettings(),
    });
    expect(made.stdout).not.toBe('');
    expect(existsSync(join(dir, 'checkout', 'data', 'outbound.db'))).toBe(true);
  }, 60_000);
});

describe('usage errors exit 2, commander included', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown option', ['serve', '--prot', '9'], /unknown option '--prot'/],
    ['a missing argument', ['recipient', 'add'], /missing required/],
    ['an unknown command', ['serv'], /unknown command 'serv'/],
    ['an option without its value', ['serve', '--port'], /argument missing/],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: one line from commander, exit 2`, async () => {
      const failed = await outbound({ OUTBOUND_DATABASE_URL: `sqlite:${dir}/x.db` }, ...args);
      expect(failed.code).toBe(2);
      // Commander's line, and its suggestion when it has one.
      const [first, ...rest] = lines(failed.stderr);
      expect(first).toMatch(message);
      expect(rest.filter((line) => !line.startsWith('(Did you mean'))).toEqual([]);
    }, 30_000);
  }

  it('--version and --help still exit 0', async () => {
    expect((await outbound({}, '--version')).code).toBe(0);
    expect((await outbound({}, 'serve', '--help')).code).toBe(0);
  }, 30_000);
});
