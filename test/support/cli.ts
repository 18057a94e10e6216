import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Node's arguments that run `outbound <args>`: the CLI bundled from src/ for this run
 * (cli-bundle.ts), instead of `--import tsx src/cli/main.ts`. An absolute path: any cwd will do.
 * Throws esbuild's message when src/ did not build.
 */
export function cliArgs(...args: string[]): string[] {
  const error = inject('cliBuildError');
  if (error !== undefined) throw new Error(`src/cli/main.ts did not build: ${error}`);
  return [inject('cliEntry'), ...args];
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `outbound <args>` to its end with the test's environment plus `env`, from the
 * repository's folder; a non-zero exit is a result (its code), not a thrown error.
 */
export async function runOutbound(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, cliArgs(...args), {
      cwd: ROOT,
      env: { ...process.env, ...env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
