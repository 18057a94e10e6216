/**
 * The `outbound` CLI as one ES module, built from src/ once per test run (test/global-setup.ts)
 * with esbuild, the transformer tsx itself uses. A child started from it is the same program
 * as `node --import tsx src/cli/main.ts` (dependencies stay external, loaded from
 * node_modules), but it starts about three times sooner: tsx runs every module of src/ through
 * its loader hooks at each start, and the tests start the CLI some hundred times.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '../..');

export type CliBundle = { entry: string; remove: () => void } | { error: string };

/**
 * Builds src/cli/main.ts into node_modules/.cache (inside the repository, so that its imports
 * of packages resolve to node_modules as the sources' do), in a folder of this run's own: runs
 * side by side do not share one. A build error is returned, not thrown: only the tests that
 * start the CLI fail on it, with esbuild's message, as they would under tsx.
 */
export async function buildCli(): Promise<CliBundle> {
  const dir = join(ROOT, 'node_modules', '.cache', 'outbound-test', randomBytes(4).toString('hex'));
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'outbound.mjs');
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    await build({
      entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')],
      outfile: entry,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node}`,
      packages: 'external',
      // Not loaded by default (it costs half a second a start): NODE_OPTIONS=--enable-source-maps
      // gives stack traces into src/ when a child's stderr needs reading.
      sourcemap: 'linked',
      logLevel: 'silent',
    });
    return { entry, remove };
  } catch (error) {
    remove();
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
