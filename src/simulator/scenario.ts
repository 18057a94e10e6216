import type { Member, RepresentativeMember } from '../events/index.js';
import { type Random, seededRandom } from '../random.js';
import { CUSTOMERS, ownerOf, REPRESENTATIVES, TEAMS } from './people.js';
import type { Owner, Step } from './steps.js';

/**
 * The steps of simulated session `index`: a pure function of (seed, index), so that a seed
 * repeats a run call for call, and a test can check every session without a server.
 *
 * A session is a customer asking for help: it starts in the general queue, a team's queue,
 * or with a representative; a representative joins and takes it over; then, some of the time,
 * the customer drops out and reconnects, a colleague is invited, the session is transferred
 * to another representative or team, a second customer joins, a ticket number (external key)
 * is assigned; at the end the customer may leave first, and exit surveys are filled in.
 * A few sessions are abandoned: the customer leaves before anyone picks up.
 */
export function sessionSteps(seed: string | number, index: number): Step[] {
  const random = seededRandom(`${seed}/${index}`);
  const script = new Script();
  const reps = shuffle(REPRESENTATIVES, random);
  let nextRep = 0;
  const takeRep = () => reps[nextRep++ % reps.length] as RepresentativeMember;

  const keyAtStart = random.chance(0.3);
  const start = random.next();
  const repInitiated = start >= 0.85;
  let primary: RepresentativeMember | undefined = repInitiated ? takeRep() : undefined;
  script.create(
    keyAtStart ? externalKey(random) : undefined,
    primary ? ownerOf(primary) : start >= 0.5 ? random.pick(TEAMS) : undefined,
  );
  let primaryRef = primary ? script.join(primary) : -1;
  const customer = random.pick(CUSTOMERS);
  let customerRef = script.join(customer);

  if (!primary && random.chance(0.08)) {
    // Nobody picked it up in time.
    script.leave(customerRef);
    if (random.chance(0.2)) script.survey('customer');
    script.end();
    return script.steps;
  }
  if (!primary) {
    if (script.owner.conference_id === 'general' && random.chance(0.3)) {
      script.transfer(random.pick(TEAMS)); // routed to a team's queue
    }
    primary = takeRep();
    primaryRef = script.join(primary);
    script.transfer(ownerOf(primary));
  }
  if (!keyAtStart && random.chance(0.45)) script.setKey(externalKey(random));

  const episodes = random.int(0, 3);
  for (let i = 0; i < episodes; i++) {
    const kind = random.pick([
      'reconnect',
      'invite',
      'transfer-rep',
      'transfer-team',
      'second-customer',
      'rekey',
    ] as const);
    if (kind === 'reconnect') {
      script.leave(customerRef);
      customerRef = script.join(customer);
    } else if (kind === 'invite') {
      const helper = script.join(takeRep());
      if (random.chance(0.7)) script.leave(helper);
    } else if (kind === 'transfer-rep') {
      // The new owner is in charge before the previous one leaves.
      const next = takeRep();
      const nextRef = script.join(next);
      script.transfer(ownerOf(next));
      script.leave(primaryRef);
      [primary, primaryRef] = [next, nextRef];
    } else if (kind === 'transfer-team') {
      script.transfer(
        random.pick(TEAMS.filter((t) => t.conference_id !== script.owner.conference_id)),
      );
      script.leave(primaryRef);
      primary = takeRep();
      primaryRef = script.join(primary);
      script.transfer(ownerOf(primary));
    } else if (kind === 'second-customer') {
      const other = script.join(random.pick(CUSTOMERS.filter((c) => c !== customer)));
      if (random.chance(0.6)) script.leave(other);
    } else if (script.externalKey !== undefined) {
      script.setKey(externalKey(random)); // the ticket was re-filed
    }
  }

  if (random.chance(0.6)) {
    script.leave(customerRef);
    if (random.chance(0.5)) script.survey('customer');
  }
  script.end();
  if (random.chance(0.5)) script.survey('customer');
  if (random.chance(0.5)) script.survey('representative');
  return script.steps;
}

/**
 * Keeps a session's state while its steps are written, so that every step is one the
 * service accepts: nothing but surveys after the end, a member leaves once, a survey once
 * and only for a party that took part, no transfer to the current owner.
 */
class Script {
  readonly steps: Step[] = [];
  owner: Owner = { conference_id: 'general', conference_name: 'General' };
  externalKey: string | undefined;
  private readonly present = new Set<number>();
  private readonly tookPart = new Set<Member['type']>();
  private readonly surveyed = new Set<Member['type']>();
  private joins = 0;
  private ended = false;

  create(externalKey: string | undefined, owner: Owner | undefined): void {
    this.externalKey = externalKey;
    if (owner) this.owner = owner;
    this.steps.push({
      call: 'create',
      ...(externalKey === undefined ? {} : { externalKey }),
      ...(owner === undefined ? {} : { owner }),
      events: 2,
    });
  }

  setKey(externalKey: string): void {
    if (this.ended || externalKey === this.externalKey) return;
    this.externalKey = externalKey;
    this.steps.push({ call: 'external-key', externalKey, events: 0 });
  }

  transfer(owner: Owner): void {
    if (this.ended || owner.conference_id === this.owner.conference_id) return;
    this.owner = owner;
    this.steps.push({ call: 'owner', owner, events: 1 });
  }

  /** Returns the member's ref. */
  join(member: Member): number {
    const ref = this.joins++;
    this.present.add(ref);
    this.tookPart.add(member.type);
    this.steps.push({ call: 'join', ref, member, events: 1 });
    return ref;
  }

  leave(ref: number): void {
    if (this.ended || !this.present.delete(ref)) return;
    this.steps.push({ call: 'leave', ref, events: 1 });
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.steps.push({ call: 'end', events: this.present.size + 1 });
    this.present.clear();
  }

  survey(party: Member['type']): void {
    if (!this.tookPart.has(party) || this.surveyed.has(party)) return;
    this.surveyed.add(party);
    this.steps.push({ call: 'survey', party, events: 1 });
  }
}

function externalKey(random: Random): string {
  const prefix = random.pick(['INC-', 'INC-', 'CASE-', 'SR ']);
  return `${prefix}${random.int(10_000, 999_999)}`;
}

function shuffle<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
