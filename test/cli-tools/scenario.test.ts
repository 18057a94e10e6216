/** The simulator's scenario generator: repeatable, and every session one the service accepts. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateEvent } from '../../src/events/index.js';
import {
  expectedEvents,
  formatSummary,
  progressBar,
  progressLine,
  type Step,
  sessionSteps,
} from '../../src/simulator/index.js';

/**
 * Checks one session's steps against the rules of the sessions API (CONTRACT §5), written
 * independently of the generator. Returns the first broken rule, or undefined.
 */
function brokenRule(steps: Step[]): string | undefined {
  if (steps[0]?.call !== 'create') return 'the first step is not create';
  const present = new Map<number, Extract<Step, { call: 'join' }>['member']>();
  const joined = new Set<number>();
  const tookPart = new Set<string>();
  const surveyed = new Set<string>();
  let owner = steps[0].owner?.conference_id ?? 'general';
  let ended = false;
  for (const [i, step] of steps.entries()) {
    const at = `step ${i} (${step.call})`;
    if (i > 0 && step.call === 'create') return `${at}: a second create`;
    if (ended && step.call !== 'survey') return `${at}: after the end`;
    switch (step.call) {
      case 'join':
        if (joined.has(step.ref)) return `${at}: ref ${step.ref} joined twice`;
        joined.add(step.ref);
        present.set(step.ref, step.member);
        tookPart.add(step.member.type);
        break;
      case 'leave': {
        const member = present.get(step.ref);
        if (member === undefined) return `${at}: ref ${step.ref} is not present`;
        if (member.type === 'representative' && owner === `rep:${member.user_id}`) {
          return `${at}: the owner leaves while owning the session`;
        }
        present.delete(step.ref);
        break;
      }
      case 'owner': {
        if (step.owner.conference_id === owner) return `${at}: transfer to the current owner`;
        const rep = /^rep:(.+)$/.exec(step.owner.conference_id)?.[1];
        const reps = [...present.values()].filter((m) => m.type === 'representative');
        if (rep !== undefined && !reps.some((m) => m.user_id === rep)) {
          return `${at}: transfer to a representative who is not there`;
        }
        owner = step.owner.conference_id;
        break;
      }
      case 'end':
        if (step.events !== present.size + 1) return `${at}: counts ${step.events} events`;
        present.clear();
        ended = true;
        break;
      case 'survey':
        if (!tookPart.has(step.party)) return `${at}: no ${step.party} took part`;
        if (surveyed.has(step.party)) return `${at}: a second ${step.party} survey`;
        surveyed.add(step.party);
        break;
    }
  }
  return ended ? undefined : 'the session never ends';
}

describe('sessionSteps', () => {
  it('is a pure function of (seed, index)', () => {
    for (let i = 0; i < 50; i++) expect(sessionSteps('42', i)).toEqual(sessionSteps('42', i));
    const all = (seed: string) => Array.from({ length: 50 }, (_, i) => sessionSteps(seed, i));
    expect(all('42')).not.toEqual(all('43'));
    expect(sessionSteps('42', 0)).not.toEqual(sessionSteps('42', 1));
  });

  it('only writes sessions the API accepts, whose events are valid schema 1', () => {
    for (const seed of ['1', '2', 'abc']) {
      for (let i = 0; i < 500; i++) {
        const steps = sessionSteps(seed, i);
        expect(brokenRule(steps), `seed ${seed} session ${i}`).toBeUndefined();
        const events = expectedEvents(steps);
        expect(events.length).toBe(steps.reduce((n, s) => n + s.events, 0));
        expect(events[0]?.event).toBe('support_conference_begin');
        for (const e of events) {
          validateEvent({
            event: e.event,
            version: 1,
            timestamp: 1,
            lsid: '7',
            ...(e.externalKey === undefined ? {} : { external_key: e.externalKey }),
            ...e.member,
            ...e.owner,
          });
        }
      }
    }
  });

  it('holds for any seed (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(1_000_000), (seed, index) => {
        expect(brokenRule(sessionSteps(seed, index))).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('mixes transfers, rejoins, surveys, external keys and international names', () => {
    const sessions = Array.from({ length: 300 }, (_, i) => sessionSteps('mix', i));
    const some = (test: (steps: Step[]) => boolean) => sessions.filter(test).length;
    const owners = (steps: Step[]) =>
      steps.flatMap((s) => (s.call === 'owner' ? [s.owner.conference_id] : []));
    const names = new Set(
      sessions.flat().flatMap((s) => (s.call === 'join' ? [s.member.display_name] : [])),
    );
    const counts = {
      keyAtCreate: some((s) => s[0]?.call === 'create' && s[0].externalKey !== undefined),
      keyLater: some((s) => s.some((step) => step.call === 'external-key')),
      toTeam: some((s) => owners(s).some((o) => o.startsWith('team:'))),
      repToRep: some((s) => owners(s).filter((o) => o.startsWith('rep:')).length >= 2),
      ownerAtCreate: some((s) => s[0]?.call === 'create' && s[0].owner !== undefined),
      rejoin: some((s) => {
        const customers = s.flatMap((step) =>
          step.call === 'join' && step.member.type === 'customer' ? [step.member.display_name] : [],
        );
        return new Set(customers).size < customers.length;
      }),
      severalReps: some(
        (s) =>
          s.filter((step) => step.call === 'join' && step.member.type === 'representative')
            .length >= 2,
      ),
      customerSurvey: some((s) => s.some((x) => x.call === 'survey' && x.party === 'customer')),
      repSurvey: some((s) => s.some((x) => x.call === 'survey' && x.party === 'representative')),
      surveyAfterEnd: some((s) => s.at(-1)?.call === 'survey'),
      abandoned: some(
        (s) => !s.some((x) => x.call === 'join' && x.member.type === 'representative'),
      ),
      membersLeftAtEnd: some((s) => s.some((x) => x.call === 'end' && x.events > 1)),
    };
    for (const [what, n] of Object.entries(counts)) expect(n, what).toBeGreaterThan(5);
    for (const name of ['José Müller', '王小明', 'Øyvind Hansen']) expect(names).toContain(name);
    expect([...names].some((n) => n.startsWith('Zoë'))).toBe(true);
  });
});

describe('progress and summary', () => {
  const progress = {
    total: 20,
    started: 12,
    done: 10,
    apiCalls: 130,
    events: 150,
    errors: 0,
    startedAt: 0,
  };

  it('shows sessions done, events/s and ETA', () => {
    expect(progressBar(progress, 5000)).toBe(
      '[████████████░░░░░░░░░░░░]  10/20 sessions  30 events/s  ETA 5s',
    );
    expect(progressLine({ ...progress, errors: 2 }, 5000)).toBe(
      '10/20 sessions, 150 events, 30 events/s, ETA 5s, 2 errors',
    );
    expect(progressLine({ ...progress, done: 0 }, 0)).toBe(
      '0/20 sessions, 150 events, - events/s, ETA --',
    );
  });

  it('sums up, with the first errors', () => {
    const summary = formatSummary(
      {
        ...progress,
        done: 20,
        errors: 7,
        firstErrors: ['session 3 (lsid 9): POST /x → 409: no'],
        elapsedMs: 2000,
        interrupted: false,
      },
      { url: 'http://h', seed: '5' },
    );
    expect(summary).toBe(
      [
        'simulated 20 sessions against http://h (seed 5; the same --seed repeats them)',
        '  sessions   20 of 20, 7 stopped by an error',
        '  API calls  130',
        '  events     150',
        '  errors     7',
        '    - session 3 (lsid 9): POST /x → 409: no',
        '    … and 6 more',
        '  elapsed    2.00 s',
        '  events/s   75.0',
        '',
      ].join('\n'),
    );
  });
});
