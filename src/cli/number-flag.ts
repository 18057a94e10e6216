import { UsageError } from './store-command.js';

/** Parses a flag's number and checks its range; `integer` refuses fractions. */
export function numberFlag(
  value: string,
  flag: string,
  range: { min: number; max?: number; integer?: boolean },
): number {
  const n = Number(value);
  const ok =
    value.trim() !== '' &&
    Number.isFinite(n) &&
    n >= range.min &&
    (range.max === undefined || n <= range.max) &&
    (!range.integer || Number.isInteger(n));
  if (!ok) {
    const kind = range.integer ? 'a whole number' : 'a number';
    const to = range.max === undefined ? 'or more' : `to ${range.max}`;
    throw new UsageError(`${flag} must be ${kind} from ${range.min} ${to}, got "${value}"`);
  }
  return n;
}
