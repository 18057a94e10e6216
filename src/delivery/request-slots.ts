import { Semaphore } from './semaphore.js';

/**
 * The global cap on delivery requests, made so that slow recipients cannot starve fast ones.
 *
 * What the cap protects is the work of a request: connecting (a TLS handshake), writing it,
 * reading and recording its answer. A request left waiting for an answer costs a socket and a
 * few objects, nothing more. So a request holds one of `size` slots while it is young, and
 * gives it back either when it ends or once it has waited `holdMs`, whichever comes first; it
 * then stays open, outside the cap, until its answer or its time-out. A receiver that accepts
 * connections and never answers thus holds a slot for `holdMs` per attempt, not for its whole
 * time-out, and healthy recipients keep getting slots however many such receivers there are.
 *
 * Open requests need no second cap: a lane has at most one request in flight, so there are
 * never more than there are recipients, and each recipient keeps its own keep-alive socket
 * anyway (one file descriptor per recipient, open or idle).
 */
export class RequestSlots {
  private readonly semaphore: Semaphore;
  private open = 0;

  constructor(
    readonly size: number,
    /** How long a request may wait for its answer while holding a slot. */
    readonly holdMs: number,
  ) {
    this.semaphore = new Semaphore(size);
  }

  /** A slot for one request; `end()` it when the request ends. Waits in order when all are held. */
  take(): RequestSlot | Promise<RequestSlot> {
    const waiting = this.semaphore.acquire();
    if (waiting === undefined) return this.opened();
    return waiting.then(() => this.opened());
  }

  /** Requests under way, including those waiting past `holdMs` without a slot. */
  get inFlight(): number {
    return this.open;
  }

  /** Slots held: requests being started, or answered within `holdMs`. */
  get inUse(): number {
    return this.semaphore.inUse;
  }

  private opened(): RequestSlot {
    this.open++;
    return new RequestSlot(this, this.holdMs);
  }

  /** @internal */
  giveBack(): void {
    this.semaphore.release();
  }

  /** @internal */
  closed(): void {
    this.open--;
  }
}

/** One request's place under the cap. */
export class RequestSlot {
  private held = true;
  private ended = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly slots: RequestSlots,
    holdMs: number,
  ) {
    this.timer = setTimeout(onHoldExpired, holdMs, this);
    // A request outlives its slot; the timer alone must not keep the process running.
    this.timer.unref();
  }

  /** The request is still waiting after `holdMs`: the slot goes to the next request. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    clearTimeout(this.timer);
    this.slots.giveBack();
  }

  /** The request ended (answered, failed, cut or never sent). */
  end(): void {
    this.release();
    if (this.ended) return;
    this.ended = true;
    this.slots.closed();
  }
}

function onHoldExpired(slot: RequestSlot): void {
  slot.release();
}
