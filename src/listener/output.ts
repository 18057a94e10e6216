import { closeSync, openSync, writeSync } from 'node:fs';
import { formatJson, formatLine, type ReceivedRecord } from './format.js';

export interface OutputOptions {
  /** Where lines go (the console). */
  stream: { write(text: string): unknown };
  /** JSON lines instead of readable lines on `stream`. */
  json?: boolean;
  /** ANSI colours on readable lines. */
  color?: boolean;
  /** Also append JSON lines to this file. */
  outFile?: string;
}

export interface Output {
  write(record: ReceivedRecord): void;
  close(): void;
}

/**
 * Writes each record to the console and, with `outFile`, appends it to the file at once
 * (synchronously: a test or `tail -f` sees it as soon as the request is answered).
 */
export function createOutput(options: OutputOptions): Output {
  const fd = options.outFile === undefined ? undefined : openSync(options.outFile, 'a');
  return {
    write(record) {
      const json = formatJson(record);
      options.stream.write(
        `${options.json ? json : formatLine(record, { color: options.color ?? false })}\n`,
      );
      if (fd !== undefined) writeSync(fd, `${json}\n`);
    },
    close() {
      if (fd !== undefined) closeSync(fd);
    },
  };
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColor(
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? '') === '';
}
