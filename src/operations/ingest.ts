import type { Dispatcher } from '../delivery/index.js';
import { type GroupCommitOptions, GroupCommitter } from '../store/group-commit.js';
import type { KeyToRemember } from '../store/idempotency-store.js';
import type { RememberChange, SessionChangeResult, SessionUpdate, Store } from '../store/store.js';
import type { NewEvent } from '../types.js';

/**
 * The one way work enters the queue: events, or a session's change with the events it makes,
 * are committed durably, then the lanes they gave work are woken. Events from many requests
 * share a transaction (group commit); a session change is its own.
 */
export class Ingest {
  private readonly committer: GroupCommitter;

  constructor(
    private readonly store: Store,
    private readonly lanes: Pick<Dispatcher, 'wake'>,
    options: Omit<GroupCommitOptions, 'onCommitted'> = {},
  ) {
    this.committer = new GroupCommitter(store, {
      ...options,
      onCommitted: (result) => this.wake(result.recipientIds),
    });
  }

  /**
   * Resolves with the events' ids once they are durably stored, in the same transaction as
   * the request's Idempotency-Key `key` when given. All or nothing.
   */
  submit(events: NewEvent[], key?: KeyToRemember): Promise<number[]> {
    return this.committer.submit(events, key);
  }

  /** One step of a session, committed with its events in one transaction. */
  async changeSession<T>(
    lsid: string,
    update: SessionUpdate<T>,
    now: number,
    remember?: RememberChange<T>,
  ): Promise<SessionChangeResult<T>> {
    const done = await this.store.changeSession(lsid, update, now, remember);
    this.wake(done.recipientIds);
    return done;
  }

  /** Resolves when everything submitted so far is committed (or failed). */
  drain(): Promise<void> {
    return this.committer.drain();
  }

  private wake(recipientIds: readonly number[]): void {
    try {
      if (recipientIds.length > 0) this.lanes.wake(recipientIds);
    } catch {
      // A failed wake-up must not fail a committed change: the sweep picks the work up.
    }
  }
}
