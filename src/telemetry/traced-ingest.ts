import type { Dispatcher } from '../delivery/index.js';
import { Ingest } from '../operations/ingest.js';
import type { GroupCommitOptions } from '../store/group-commit.js';
import type { KeyToRemember } from '../store/idempotency-store.js';
import type { RememberChange, SessionChangeResult, SessionUpdate, Store } from '../store/store.js';
import type { NewEvent } from '../types.js';
import type { Telemetry } from './telemetry.js';

/**
 * Ingest with a span around each accept: what every front door (the API, the admin test
 * event, the appliance's Command API) commits through. Used only when traces are on; the
 * plain Ingest otherwise, so that accepting costs nothing more.
 */
export class TracedIngest extends Ingest {
  constructor(
    store: Store,
    lanes: Pick<Dispatcher, 'wake'>,
    options: Omit<GroupCommitOptions, 'onCommitted'>,
    private readonly telemetry: Telemetry,
  ) {
    super(store, lanes, options);
  }

  override submit(events: NewEvent[], key?: KeyToRemember): Promise<number[]> {
    return this.telemetry.accept(
      'events',
      {},
      () => events,
      () => super.submit(events, key),
    );
  }

  override changeSession<T>(
    lsid: string,
    update: SessionUpdate<T>,
    now: number,
    remember?: RememberChange<T>,
  ): Promise<SessionChangeResult<T>> {
    // The events are made inside the transaction: the last run of `update` is the one stored.
    let events: readonly NewEvent[] = [];
    const watched: SessionUpdate<T> = (current) => {
      const outcome = update(current);
      events = outcome.events;
      return outcome;
    };
    return this.telemetry.accept(
      'session',
      { 'outbound.session.lsid': lsid },
      () => events,
      () => super.changeSession(lsid, watched, now, remember),
    );
  }
}
