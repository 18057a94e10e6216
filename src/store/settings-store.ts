/**
 * Settings an administrator changes while the service runs (Settings → Email), kept in the
 * database so that every node sees the same. One JSON value per key; the meaning of each
 * value belongs to its reader (alerts/relay-settings.ts for `mail`).
 */
export interface SettingsStore {
  /** The stored value, undefined when it was never saved. */
  get(key: string): Promise<unknown>;
  /** Replaces the value, in one durable transaction. */
  put(key: string, value: unknown, now: number): Promise<void>;
  /**
   * Saves `value` only when the key has none yet, and returns the value the key holds after:
   * of several processes racing to create it, all see the one that was saved first.
   */
  putIfAbsent(key: string, value: unknown, now: number): Promise<unknown>;
}
