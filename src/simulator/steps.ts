import type { EventName, Member } from '../events/index.js';
import type { CustomerDetails, RepresentativeDetails, SurveyAnswer } from '../sessions/index.js';

/** Who owns a session: `rep:12`, `team:5` or `general`. */
export interface Owner {
  conference_id: string;
  conference_name: string;
}

/**
 * One sessions-API call of a simulated session. `events` is how many events the service
 * emits for it when it succeeds (CONTRACT §5): the runner counts them from here, since the
 * API's answers do not say. Members are named by `ref`, the session's own count of joins,
 * because the service's member ids are only known at run time.
 */
export type Step =
  | { call: 'create'; externalKey?: string; owner?: Owner; events: 2 }
  | { call: 'external-key'; externalKey: string; events: 0 }
  | { call: 'owner'; owner: Owner; events: 1 }
  | {
      call: 'join';
      ref: number;
      member: Member;
      /** What the reports show of the member (customer or representative, as `member`). */
      details?: CustomerDetails | RepresentativeDetails;
      events: 1;
    }
  | { call: 'leave'; ref: number; events: 1 }
  /** Members still present depart first: `events` is their number plus one. */
  | { call: 'end'; events: number }
  | {
      call: 'survey';
      party: 'customer' | 'representative';
      answers?: SurveyAnswer[];
      events: 1;
    }
  // What only the reports show (CONTRACT §5 emits nothing for these): `to` absent is everyone.
  | { call: 'chat'; from: number; to?: number; body: string; events: 0 }
  | { call: 'note'; by: number; body: string; events: 0 }
  | {
      call: 'file';
      by: number;
      direction: 'upload' | 'download';
      filename: string;
      filesize: number;
      events: 0;
    }
  | { call: 'attributes'; values: Record<string, string>; events: 0 };

/** What a receiver should get for `steps`, in order, with each event's member or owner. */
export interface ExpectedEvent {
  event: EventName;
  externalKey?: string;
  member?: Member;
  owner?: Owner;
}

const GENERAL: Owner = { conference_id: 'general', conference_name: 'General' };

/** The events a session's steps emit, in order, as CONTRACT §5 describes them. */
export function expectedEvents(steps: readonly Step[]): ExpectedEvent[] {
  const out: ExpectedEvent[] = [];
  const present = new Map<number, Member>();
  let externalKey: string | undefined;
  const push = (event: EventName, extra: Omit<ExpectedEvent, 'event' | 'externalKey'> = {}) =>
    out.push({ event, ...(externalKey === undefined ? {} : { externalKey }), ...extra });
  for (const step of steps) {
    switch (step.call) {
      case 'create':
        externalKey = step.externalKey;
        push('support_conference_begin');
        push('support_conference_owner_changed', { owner: step.owner ?? GENERAL });
        break;
      case 'external-key':
        externalKey = step.externalKey;
        break;
      case 'owner':
        push('support_conference_owner_changed', { owner: step.owner });
        break;
      case 'join':
        present.set(step.ref, step.member);
        push('support_conference_member_added', { member: step.member });
        break;
      case 'leave': {
        const member = present.get(step.ref);
        present.delete(step.ref);
        push('support_conference_member_departed', member === undefined ? {} : { member });
        break;
      }
      case 'end':
        for (const member of present.values()) {
          push('support_conference_member_departed', { member });
        }
        present.clear();
        push('support_conference_end');
        break;
      case 'survey':
        push(
          step.party === 'customer'
            ? 'support_conference_customer_exit_survey_completed'
            : 'support_conference_representative_exit_survey_completed',
        );
        break;
      case 'chat':
      case 'note':
      case 'file':
      case 'attributes':
        break;
    }
  }
  return out;
}
