import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('the receiver SDK stays free of server code', () => {
  it('imports only node: built-ins, itself and the schema-1 module (which imports nothing else)', () => {
    const allowed = [join(SRC, 'receiver'), join(SRC, 'events')];
    const offending: string[] = [];
    for (const file of allowed.flatMap(sources)) {
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        if (specifier?.startsWith('node:')) continue;
        const target = specifier?.startsWith('.') ? resolve(dirname(file), specifier) : specifier;
        if (target && allowed.some((dir) => target.startsWith(`${dir}/`))) continue;
        offending.push(`${relative(SRC, file)} → ${specifier}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
