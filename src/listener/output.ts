import { closeSync, openSync, writeSync } from 'node:fs';
import { formatJson, formatLine, type ReceivedRecord } from './format.js';
import { type RecipientOptionKind, recipientOptionNotes } from './recipient-options.js';

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
 * (synchronously: a test or `tail -f` sees it as soon as the request is answered). Readable
 * lines are followed, the first time each kind is seen, by the recipient option that sends
 * what came (JSON lines carry it in `recipientOptions`).
 */
export function createOutput(options: OutputOptions): Output {
  const fd = options.outFile === undefined ? undefined : openSync(options.outFile, 'a');
  const noted = new Set<RecipientOptionKind>();
  return {
    write(record) {
      const json = formatJson(record);
      let text = options.json ? json : formatLine(record, { color: options.color ?? false });
      if (!options.json && record.recipientOptions !== undefined) {
        for (const note of recipientOptionNotes(record.recipientOptions)) {
          if (noted.has(note.kind)) continue;
          noted.add(note.kind);
          const line = `  ↳ ${note.text}`;
          text += `\n${options.color ? `\x1b[36m${line}\x1b[0m` : line}`;
        }
      }
      options.stream.write(`${text}\n`);
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
