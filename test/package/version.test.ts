import { execFile } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { cliArgs } from '../support/cli.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('outbound --version', () => {
  it("prints package.json's version", async () => {
    const { stdout, stderr } = await run(process.execPath, cliArgs('--version'), { cwd: ROOT });
    expect(stderr).toBe('');
    expect(stdout).toBe(`${PACKAGE.version}\n`);
  });

  it('reads it at run time from the package the program is in, as installed', async () => {
    // The same program laid out as npm installs the package (dist/cli/main.js two folders
    // below its package.json), under a version that is not ours: a version baked in at build
    // time would show.
    dir = mkdtempSync(join(tmpdir(), 'outbound-version-'));
    const installed = join(dir, 'node_modules', '@outbound-events', 'outbound');
    mkdirSync(join(installed, 'dist', 'cli'), { recursive: true });
    copyFileSync(cliArgs()[0] as string, join(installed, 'dist', 'cli', 'main.js'));
    writeFileSync(
      join(installed, 'package.json'),
      JSON.stringify({ name: PACKAGE.name, version: '7.8.9-installed', type: 'module' }),
    );
    // Its dependencies, where npm would put them (the bundle leaves packages external).
    symlinkSync(join(ROOT, 'node_modules'), join(installed, 'node_modules'), 'dir');
    // The consumer's own package.json above it is not the one read.
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0' }),
    );

    const { stdout } = await run(
      process.execPath,
      [join(installed, 'dist', 'cli', 'main.js'), '--version'],
      {
        cwd: dir,
      },
    );
    expect(stdout).toBe('7.8.9-installed\n');
  });
});
