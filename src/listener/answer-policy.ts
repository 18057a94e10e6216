import { type Random, seededRandom } from '../random.js';

export interface AnswerOptions {
  /** Share of requests answered with `status`, from 0 to 1. Default: 0, or 1 when `status` is set. */
  failRate?: number;
  /** The status of a failure. Default 500. */
  status?: number;
  /** Makes the choice of which requests fail repeatable. Default: a random seed. */
  seed?: string;
}

export interface Answer {
  status: number;
  /** Not 200: a failure the recipient's sender must retry. */
  failed: boolean;
}

/** Decides each request's status: 200, or the failure status for `failRate` of them. */
export function answerPolicy(options: AnswerOptions): () => Answer {
  const status = options.status ?? 500;
  const failRate = options.failRate ?? (options.status === undefined ? 0 : 1);
  const random: Random | undefined =
    failRate > 0 && failRate < 1 ? seededRandom(options.seed ?? Math.random()) : undefined;
  return () => {
    const fail = failRate >= 1 || (random !== undefined && random.next() < failRate);
    return fail ? { status, failed: status !== 200 } : { status: 200, failed: false };
  };
}

/** `answering 200 to every request`, `answering 503 to 20% of requests (seed 7), 200 otherwise`. */
export function describeAnswers(options: AnswerOptions & { delayMs?: number }): string {
  const status = options.status ?? 500;
  const failRate = options.failRate ?? (options.status === undefined ? 0 : 1);
  let text: string;
  if (failRate <= 0 || status === 200) text = 'answering 200 to every request';
  else if (failRate >= 1) text = `answering ${status} to every request`;
  else {
    const seed = options.seed === undefined ? '' : ` (seed ${options.seed})`;
    text = `answering ${status} to ${+(failRate * 100).toFixed(2)}% of requests${seed}, 200 otherwise`;
  }
  if (options.delayMs) text += `, after ${options.delayMs} ms`;
  return text;
}
