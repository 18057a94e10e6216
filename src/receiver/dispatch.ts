import { EVENT_ALIASES, isEventName } from '../events/index.js';
import type { DeliveryContext, EventHandlers } from './options.js';
import type { ReceivedEvent } from './wire-extras.js';

type AnyHandler = (event: ReceivedEvent, context: DeliveryContext) => unknown;

/**
 * Resolves `on` into one function per event name, once. Unknown keys are refused so that a
 * misspelt event name fails at start-up instead of silently acknowledging that event.
 */
export function dispatcher(on: EventHandlers): AnyHandler {
  if (typeof on !== 'object' || on === null) throw new TypeError('on must be an object');
  const table = new Map<string, AnyHandler>();
  for (const [key, fn] of Object.entries(on)) {
    if (fn === undefined) continue;
    if (typeof fn !== 'function') throw new TypeError(`on.${key} must be a function`);
    if (key === 'default') continue;
    const name = isEventName(key)
      ? key
      : Object.hasOwn(EVENT_ALIASES, key)
        ? EVENT_ALIASES[key]
        : undefined;
    if (name === undefined) throw new TypeError(`on.${key}: no such schema-1 event`);
    if (table.has(name)) throw new TypeError(`on.${key}: ${name} has two handlers`);
    table.set(name, fn as AnyHandler);
  }
  const fallback = on.default;
  return (event, context) => (table.get(event.event) ?? fallback)?.(event, context);
}
