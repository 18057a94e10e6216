export {
  autoDriverName,
  loadSqliteDriver,
  nodeSqliteIsStable,
  useBetterSqlite3Addon,
} from './choose.js';
export type {
  SqliteDatabase,
  SqliteDriver,
  SqliteDriverChoice,
  SqliteDriverName,
  SqliteOpenOptions,
  SqliteRunResult,
  SqliteStatement,
} from './driver.js';
export { SQLITE_DRIVER_CHOICES } from './driver.js';
export { SqliteDriverError, SqliteError } from './errors.js';
