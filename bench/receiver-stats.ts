/**
 * What the receiver process (receiver-process.ts) counts and reports over IPC, and the modes the
 * bench resets it into (harness.ts `Receiver`): one definition for both sides of the IPC.
 */

export interface ReceiverStats {
  count: number;
  /** Arrival of the first and last request since the reset (monotonic ms). */
  firstAt: number | null;
  lastAt: number | null;
  /** An lsid lower than or equal to the previous one (of the same path, with `perPath`). */
  outOfOrder: number;
  lastLsid: number;
  bytes: number;
  /** With `perPath`: distinct paths seen, lsids a path got twice, requests that overlapped. */
  paths: number;
  duplicates: number;
  overlapping: number;
}

export interface ReceiverMode {
  /** Answer each request this long after its body arrived (a slow recipient). */
  delayMs?: number;
  /** Each path is a recipient: order, duplicates and overlaps are checked per path. */
  perPath?: boolean;
}
