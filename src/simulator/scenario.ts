import type { Member, RepresentativeMember } from '../events/index.js';
import { type Random, seededRandom } from '../random.js';
import type { CustomerDetails, RepresentativeDetails, SurveyAnswer } from '../sessions/index.js';
import {
  CLOSING,
  customerAnswers,
  customerDetails,
  greeting,
  HELPER_ASIDE,
  ISSUES,
  type Issue,
  PRIORITIES,
  repAnswers,
  repDetails,
  WAITING,
} from './content.js';
import type { SimulatedField } from './custom-fields.js';
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
 *
 * What the reports show comes with it: the customer's details and front-end survey, the
 * representatives' details, a chat about the customer's problem (and, between colleagues, a
 * private aside), files collected and delivered, the representative's note, the ticket number
 * set as external key while they talk, custom attributes (`fields`: the custom fields the
 * service has, see custom-fields.ts), exit surveys with answers.
 */
export function sessionSteps(
  seed: string | number,
  index: number,
  fields: readonly SimulatedField[] = [],
): Step[] {
  const random = seededRandom(`${seed}/${index}`);
  const script = new Script();
  const reps = shuffle(REPRESENTATIVES, random);
  let nextRep = 0;
  const takeRep = () => reps[nextRep++ % reps.length] as RepresentativeMember;
  const joinRep = (rep: RepresentativeMember) => script.join(rep, repDetails(random, rep));
  const issue = random.pick(ISSUES);

  const keyAtStart = random.chance(0.3);
  const start = random.next();
  const repInitiated = start >= 0.85;
  let primary: RepresentativeMember | undefined = repInitiated ? takeRep() : undefined;
  script.create(
    keyAtStart ? externalKey(random) : undefined,
    primary ? ownerOf(primary) : start >= 0.5 ? random.pick(TEAMS) : undefined,
  );
  let primaryRef = primary ? joinRep(primary) : -1;
  const customer = random.pick(CUSTOMERS);
  const details = customerDetails(random, customer, issue);
  let customerRef = script.join(customer, details);

  if (!primary && random.chance(0.08)) {
    // Nobody picked it up in time.
    for (let i = random.int(0, 2); i > 0; i--) script.chat(customerRef, random.pick(WAITING));
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
    primaryRef = joinRep(primary);
    script.transfer(ownerOf(primary));
  }
  // The conversation; the ticket number is set while they talk.
  script.chat(primaryRef, greeting(primary, customer));
  script.chat(customerRef, issue.opening);
  const keyLater = !keyAtStart && random.chance(0.45);
  const exchange = issue.exchange.slice(0, random.int(1, issue.exchange.length));
  for (const [i, [question, answer]] of exchange.entries()) {
    if (keyLater && i === 1) script.setKey(externalKey(random));
    script.chat(primaryRef, question);
    script.chat(customerRef, answer);
  }
  if (keyLater && exchange.length < 2) script.setKey(externalKey(random));
  work(script, random, issue, primaryRef, fields);

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
      customerRef = script.join(customer, details);
    } else if (kind === 'invite') {
      const helper = joinRep(takeRep());
      // A private word between colleagues: only the primary sees it.
      if (random.chance(0.6)) script.chat(helper, random.pick(HELPER_ASIDE), primaryRef);
      if (random.chance(0.7)) script.leave(helper);
    } else if (kind === 'transfer-rep') {
      // The new owner is in charge before the previous one leaves.
      const next = takeRep();
      const nextRef = joinRep(next);
      script.transfer(ownerOf(next));
      script.leave(primaryRef);
      [primary, primaryRef] = [next, nextRef];
    } else if (kind === 'transfer-team') {
      script.transfer(
        random.pick(TEAMS.filter((t) => t.conference_id !== script.owner.conference_id)),
      );
      script.leave(primaryRef);
      primary = takeRep();
      primaryRef = joinRep(primary);
      script.transfer(ownerOf(primary));
      script.chat(primaryRef, greeting(primary, customer));
    } else if (kind === 'second-customer') {
      const colleague = random.pick(CUSTOMERS.filter((c) => c !== customer));
      const other = script.join(colleague, customerDetails(random, colleague, issue));
      if (random.chance(0.6)) script.leave(other);
    } else if (script.externalKey !== undefined) {
      script.setKey(externalKey(random)); // the ticket was re-filed
    }
  }

  if (random.chance(0.7)) {
    const [question, answer] = random.pick(CLOSING);
    script.chat(primaryRef, question);
    script.chat(customerRef, answer);
  }
  if (random.chance(0.6)) {
    script.leave(customerRef);
    if (random.chance(0.5)) script.survey('customer', surveyAnswers(random, customerAnswers));
  }
  script.end();
  if (random.chance(0.5)) script.survey('customer', surveyAnswers(random, customerAnswers));
  if (random.chance(0.5)) script.survey('representative', surveyAnswers(random, repAnswers));
  return script.steps;
}

/**
 * The representative at work on the issue: files collected from the customer's computer and
 * delivered to it, custom attributes, a session note.
 */
function work(
  script: Script,
  random: Random,
  issue: Issue,
  rep: number,
  fields: readonly SimulatedField[],
): void {
  const size = ([min, max]: [number, number]) => random.int(min, max);
  for (const file of issue.collected) {
    if (random.chance(0.7)) script.file(rep, 'download', file.filename, size(file.filesize));
  }
  for (const file of issue.delivered) {
    if (random.chance(0.7)) script.file(rep, 'upload', file.filename, size(file.filesize));
  }
  if (fields.length > 0 && random.chance(0.7)) {
    const values: Record<string, string> = {};
    if (fields.includes('product')) values.product = issue.product;
    if (fields.includes('priority')) values.priority = random.pick(PRIORITIES);
    script.attributes(values);
  }
  if (random.chance(0.75)) script.note(rep, issue.note);
}

/** Most surveys are answered; some are submitted empty. */
function surveyAnswers(random: Random, answers: (random: Random) => SurveyAnswer[]) {
  return random.chance(0.85) ? answers(random) : undefined;
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
  join(member: Member, details?: CustomerDetails | RepresentativeDetails): number {
    const ref = this.joins++;
    this.present.add(ref);
    this.tookPart.add(member.type);
    this.steps.push({ call: 'join', ref, member, ...(details ? { details } : {}), events: 1 });
    return ref;
  }

  /** Only between members present, before the end (the API refuses the rest). */
  chat(from: number, body: string, to?: number): void {
    if (this.ended || !this.present.has(from)) return;
    if (to !== undefined && !this.present.has(to)) return;
    this.steps.push({ call: 'chat', from, ...(to === undefined ? {} : { to }), body, events: 0 });
  }

  note(by: number, body: string): void {
    if (this.ended || !this.present.has(by)) return;
    this.steps.push({ call: 'note', by, body, events: 0 });
  }

  file(by: number, direction: 'upload' | 'download', filename: string, filesize: number): void {
    if (this.ended || !this.present.has(by)) return;
    this.steps.push({ call: 'file', by, direction, filename, filesize, events: 0 });
  }

  attributes(values: Record<string, string>): void {
    if (this.ended || Object.keys(values).length === 0) return;
    this.steps.push({ call: 'attributes', values, events: 0 });
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

  survey(party: Member['type'], answers?: SurveyAnswer[]): void {
    if (!this.tookPart.has(party) || this.surveyed.has(party)) return;
    this.surveyed.add(party);
    this.steps.push({ call: 'survey', party, ...(answers ? { answers } : {}), events: 1 });
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
