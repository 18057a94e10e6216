import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = '@outbound-events/outbound';

/**
 * The version in our package.json, read at run time (never a copy that a release could forget
 * to bump): the nearest package.json named PACKAGE_NAME above this module. One walk serves
 * every way the program runs: dist/cli/ of a checkout or of the installed package, src/cli/
 * under tsx, and the tests' esbuild bundle under node_modules/.cache/. A package.json of
 * another name on the way (a consumer's, say) is passed by.
 */
export function packageVersion(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const found = readPackage(join(dir, 'package.json'));
    if (found?.name === PACKAGE_NAME && typeof found.version === 'string') return found.version;
    if (dirname(dir) === dir) throw new Error(`no package.json of ${PACKAGE_NAME} above ${from}`);
  }
}

function readPackage(path: string): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
