import { inject } from 'vitest';

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
