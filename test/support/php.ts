/**
 * Real PHP clients, as integrators write them: Debian's php-cli with php-xml (DOM). .ci/run
 * installs both; without them a test fails saying what to install, never skips.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from './serve-process.js';
import { waitUntil } from './wait.js';

/** Throws with what to install when php or its DOM extension is missing; `what` needs it. */
export function requirePhp(what: string): void {
  const probe = spawnSync('php', ['-r', 'exit(class_exists("DOMDocument") ? 0 : 3);']);
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      `PHP with DOM is required by ${what}: apt-get install -y php-cli php-xml (.ci/run installs them)`,
    );
  }
}

export interface PhpServer {
  /** The script's URL (any path reaches it); its answer to a GET is 405. */
  url: string;
  stop(): void;
}

/**
 * `php -S` on a free loopback port serving `script` as its router, with `env` added, ready
 * once a GET of it answers 405 (the scripts take POSTs only).
 */
export async function startPhpServer(script: string, env: NodeJS.ProcessEnv): Promise<PhpServer> {
  const port = await freePort();
  const child: ChildProcess = spawn('php', ['-S', `127.0.0.1:${port}`, script], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}/bomgar-events.php`;
  try {
    await waitUntil(
      () =>
        fetch(url).then(
          (r) => r.status === 405,
          () => false,
        ),
      'the PHP built-in server',
    );
  } catch (error) {
    child.kill();
    throw error;
  }
  return { url, stop: () => child.kill() };
}

/** The JSON lines a PHP script appended to `path` so far; none while it does not exist. */
export function jsonLines<T>(path: string): T[] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as T);
  } catch {
    return [];
  }
}
