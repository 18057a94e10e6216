/**
 * What `npm pack` would put in the package, from the dist/ already built (`npm install` builds
 * it; `--ignore-scripts` keeps this from rebuilding it): everything `serve` and the SDK need at
 * run time, nothing else. .ci/package-smoke installs the real tarball; this is the quick check.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};

let files: Set<string>;

beforeAll(async () => {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
  });
  const [packed] = JSON.parse(stdout) as [{ files: { path: string }[] }];
  files = new Set(packed.files.map((file) => file.path));
});

/** Where tsc puts the output of src/<path>.ts. */
function built(source: string, extension: '.js' | '.d.ts'): string {
  return `dist/${source.replace(/\.ts$/, extension)}`;
}

/** The specifiers a built module imports, statically or dynamically. */
function imports(text: string): string[] {
  const found = text.matchAll(
    /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g,
  );
  return [...found].map((match) => (match[1] ?? match[2] ?? match[3]) as string);
}

describe('the package npm would publish', () => {
  it('is named @outbound-events/outbound, with the outbound command', () => {
    expect(PACKAGE.name).toBe('@outbound-events/outbound');
    expect(PACKAGE.bin).toEqual({ outbound: 'bin/outbound.js' });
    expect(files.has('bin/outbound.js')).toBe(true);
  });

  it("holds both backends' migrations, as built", () => {
    for (const backend of ['sqlite', 'postgres']) {
      const folder = `store/${backend}/migrations`;
      const sources = readdirSync(join(ROOT, 'src', folder)).filter((name) => name.endsWith('.ts'));
      expect(sources.length).toBeGreaterThan(1);
      for (const source of sources) {
        expect(files, `${built(`${folder}/${source}`, '.js')} (npm run build?)`).toContain(
          built(`${folder}/${source}`, '.js'),
        );
      }
    }
  });

  it('holds no tests, benchmarks, sources, source maps or stale output', () => {
    const extra = [...files].filter(
      (path) =>
        !['package.json', 'README.md', 'LICENSE'].includes(path) &&
        !path.startsWith('bin/') &&
        !path.startsWith('dist/'),
    );
    expect(extra).toEqual([]);
    expect([...files].filter((path) => path.endsWith('.map'))).toEqual([]);
    // Output of a source since removed from src/ would ship with it.
    const stale = [...files].filter((path) => {
      if (!path.startsWith('dist/')) return false;
      const source = path.slice('dist/'.length).replace(/(\.d\.ts|\.js)$/, '.ts');
      try {
        readFileSync(join(ROOT, 'src', source));
        return false;
      } catch {
        return true;
      }
    });
    expect(stale, 'output of removed sources (rm -rf dist && npm run build)').toEqual([]);
  });

  it('holds every module the command and the exports import, and their types', () => {
    const dependencies = new Set([
      ...Object.keys(PACKAGE.dependencies),
      ...Object.keys(PACKAGE.optionalDependencies ?? {}),
    ]);
    const builtins = new Set(builtinModules);
    const entries = [
      ...Object.values(PACKAGE.bin),
      ...Object.values(PACKAGE.exports).flatMap((target) =>
        typeof target === 'string' ? [target] : Object.values(target),
      ),
    ].map((path) => posix.normalize(path));
    const missing: string[] = [];
    const undeclared: string[] = [];
    const seen = new Set<string>();
    const queue = [...entries];
    while (queue.length > 0) {
      const path = queue.pop() as string;
      if (seen.has(path)) continue;
      seen.add(path);
      if (!files.has(path)) {
        missing.push(path);
        continue;
      }
      if (!/\.(js|d\.ts)$/.test(path)) continue;
      for (const specifier of imports(readFileSync(join(ROOT, path), 'utf8'))) {
        if (specifier.startsWith('.')) {
          let target = posix.join(dirname(path), specifier);
          // A declaration file imports './x.js' and means './x.d.ts'.
          if (path.endsWith('.d.ts')) target = target.replace(/\.js$/, '.d.ts');
          queue.push(target);
        } else {
          const name = specifier.startsWith('@')
            ? specifier.split('/').slice(0, 2).join('/')
            : (specifier.split('/')[0] as string);
          if (!specifier.startsWith('node:') && !builtins.has(name) && !dependencies.has(name)) {
            undeclared.push(`${path}: ${specifier}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
    expect(undeclared).toEqual([]);
    // The walk went through the program, not just its first file.
    expect(seen.size).toBeGreaterThan(100);
  });
});
