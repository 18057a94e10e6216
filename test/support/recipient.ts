import type { Recipient } from '../../src/types.js';
import { recipientInput } from '../store/fixtures.js';

/**
 * A recipient as the store would return it, for tests that hand one straight to a sender
 * without a store: the store fixtures' defaults, stored at time 0.
 */
export function storedRecipient(overrides: Partial<Recipient> = {}): Recipient {
  return { id: 1, createdAt: 0, updatedAt: 0, ...recipientInput(), ...overrides };
}
