import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { autoDriverName, loadSqliteDriver, nodeSqliteIsStable } from '../../src/sqlite/index.js';

describe('OUTBOUND_SQLITE_DRIVER', () => {
  it('is auto by default, and takes node or better-sqlite3', () => {
    expect(loadConfig({}, {}).sqliteDriver).toBe('auto');
    for (const choice of ['auto', 'node', 'better-sqlite3']) {
      expect(loadConfig({}, { OUTBOUND_SQLITE_DRIVER: choice }).sqliteDriver).toBe(choice);
    }
  });

  it('refuses anything else, naming the variable and the choices', () => {
    for (const bad of ['bogus', 'sqlite', 'Node', ' node']) {
      expect(() => loadConfig({}, { OUTBOUND_SQLITE_DRIVER: bad })).toThrow(ConfigError);
      expect(() => loadConfig({}, { OUTBOUND_SQLITE_DRIVER: bad })).toThrow(
        /sqliteDriver \(env OUTBOUND_SQLITE_DRIVER\) must be one of auto, node, better-sqlite3/,
      );
    }
  });
});

describe('auto', () => {
  it('means node:sqlite from Node 24.15 and on 25+, better-sqlite3 before (22 warns, 20 lacks it)', () => {
    const cases: [string, string][] = [
      ['20.20.2', 'better-sqlite3'],
      ['22.20.0', 'better-sqlite3'],
      ['24.14.1', 'better-sqlite3'],
      ['24.15.0', 'node'],
      ['24.21.0', 'node'],
      ['25.0.0', 'node'],
      ['26.10.0', 'node'],
    ];
    for (const [version, driver] of cases) expect(autoDriverName(version), version).toBe(driver);
  });

  it(`on this Node (${process.versions.node}) loads ${autoDriverName()}`, () => {
    const driver = loadSqliteDriver('auto');
    expect(driver.name).toBe(nodeSqliteIsStable() ? 'node' : 'better-sqlite3');
    if (Number(process.versions.node.split('.')[0]) >= 24) {
      expect(driver.name).toBe('node');
      expect(driver.description).toMatch(/^node:sqlite \(Node [\d.]+, SQLite 3\.\d+\.\d+\)$/);
    }
  });
});
