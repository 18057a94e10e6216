import type { EventName } from './names.js';

/*
 * The events as TypeScript types, written out so that they read well in an editor. They must
 * carry exactly the variables of the schema-1 table (schema.ts), optional where it says so:
 * test/events/schema-table.test.ts checks it under tsc.
 */

/** Variables every schema-1 event carries. */
export interface EventBase {
  event: EventName;
  /** The schema's version number: always 1. */
  version: 1;
  /** Unix seconds when the event originated; a retry re-sends the original value. */
  timestamp: number;
  /** The Logging Session ID: always a string. */
  lsid: string;
  /** Present only once a key has been assigned to the session: absent, never empty. */
  external_key?: string;
}

export interface ConferenceBegin extends EventBase {
  event: 'support_conference_begin';
}

export interface ConferenceEnd extends EventBase {
  event: 'support_conference_end';
}

export interface OwnerChanged extends EventBase {
  event: 'support_conference_owner_changed';
  /** `rep:12`, `team:5` or `general`. */
  conference_id: string;
  conference_name: string;
}

export interface CustomerMember {
  type: 'customer';
  display_name: string;
}

export interface RepresentativeMember {
  type: 'representative';
  display_name: string;
  user_id: string;
  username: string;
}

export type Member = CustomerMember | RepresentativeMember;

export type MemberAdded = EventBase & { event: 'support_conference_member_added' } & Member;
export type MemberDeparted = EventBase & { event: 'support_conference_member_departed' } & Member;

export interface CustomerExitSurveyCompleted extends EventBase {
  event: 'support_conference_customer_exit_survey_completed';
}

export interface RepresentativeExitSurveyCompleted extends EventBase {
  event: 'support_conference_representative_exit_survey_completed';
}

/** A schema-1 event: the discriminated union on `event`. */
export type OutboundEvent =
  | ConferenceBegin
  | ConferenceEnd
  | OwnerChanged
  | MemberAdded
  | MemberDeparted
  | CustomerExitSurveyCompleted
  | RepresentativeExitSurveyCompleted;

export type EventOf<N extends EventName> = Extract<OutboundEvent, { event: N }>;
