import type { Member } from '../events/index.js';

/** Who owns a session: a representative (`rep:12`), a team (`team:5`) or `general`. */
export interface Owner {
  conference_id: string;
  conference_name: string;
}

/** What the reports show of a customer, beyond the schema-1 member fields. All optional. */
export interface CustomerDetails {
  username?: string;
  /** `ip:port`, IPv6 as `[addr]:port`, as the appliance's reports write it. */
  public_ip?: string;
  private_ip?: string;
  hostname?: string;
  os?: string;
  info?: CustomerInfo;
}

/** The front-end survey's answers about the customer. */
export interface CustomerInfo {
  name?: string;
  company?: string;
  company_code?: string;
  issue?: string;
  details?: string;
}

/** What the reports show of a representative, beyond the schema-1 member fields. */
export interface RepresentativeDetails {
  public_display_name?: string;
  private_display_name?: string;
  public_ip?: string;
  private_ip?: string;
  hostname?: string;
  os?: string;
}

/** Everyone who ever joined stays listed, in join order; `present` is false once departed. */
export interface SessionMember {
  /**
   * 1, 2, 3… in join order, per session: the `memberId` of the API, and the participant's
   * `gsnumber` in the reports (0 there is the system).
   */
  id: number;
  member: Member;
  present: boolean;
  /** Report-only details (customer or representative, matching `member.type`). */
  details?: CustomerDetails | RepresentativeDetails;
  /** Unix seconds: when this member joined, and left (null while present). */
  joinedAt?: number;
  leftAt?: number | null;
}

export type SurveyParty = 'customer' | 'representative';

/** One answer of an exit survey, as the reports' `value[@name,@value]`. */
export interface SurveyAnswer {
  name: string;
  value: string;
}

/** Who did something or was its target, in a detail event: the reports' `performed_by`. */
export interface DetailParty {
  type: 'system' | 'customer' | 'representative';
  /** The member id; 0 for the system. */
  gsnumber: number;
  /** The display name at the time. */
  name: string;
}

/** The reports' detail event types this model produces. */
export type DetailType =
  | 'Session Start'
  | 'Conference Owner Changed'
  | 'Conference Member Added'
  | 'Conference Member Departed'
  | 'Chat Message'
  | 'Session Note Added'
  | 'File Upload'
  | 'File Download'
  | 'External Key Changed'
  | 'Custom Attribute Changed'
  | 'Customer Exit Survey'
  | 'Representative Exit Survey'
  | 'Session End';

/** One `session_details/event` of the reports. */
export interface SessionDetail {
  /** Unix seconds. */
  timestamp: number;
  type: DetailType;
  performedBy?: DetailParty;
  destination?: DetailParty;
  /** Chat or note text; may hold characters XML cannot carry (the report encodes it). */
  body?: string;
  /** `data/value[@name,@value]` pairs, in order. */
  data?: SurveyAnswer[];
  files?: { filename: string; filesize: number }[];
}

/**
 * One support session as the rules see it. Plain JSON, so that the store keeps it as it is;
 * the rules never change a state in place, they return a new one. Fields marked optional were
 * added after sessions were first stored; `normalizeState` fills them in on read.
 */
export interface SessionState {
  /** The Logging Session ID: every event of the session carries it. */
  lsid: string;
  /** Carried by every event from its assignment on; null until then. */
  externalKey: string | null;
  owner: Owner;
  members: SessionMember[];
  ended: boolean;
  /** Which exit surveys were submitted. */
  surveys: Record<SurveyParty, boolean>;
  /** The submitted surveys' answers (empty when submitted without answers). */
  surveyAnswers: Record<SurveyParty, SurveyAnswer[]>;
  /** Custom attribute values by code name (definitions are the store's `custom_fields`). */
  customAttributes: Record<string, string>;
  /** The reports' file_transfer_count (uploads and downloads), file_move_count, file_delete_count. */
  fileCounts: { transfers: number; moves: number; deletes: number };
  /** The reports' session_details, in order. */
  details: SessionDetail[];
}

/** A session as stored; times in milliseconds since the epoch. */
export interface SessionRecord {
  state: SessionState;
  /** 1 when created, one more with each stored change. */
  version: number;
  createdAt: number;
  updatedAt: number;
  endedAt: number | null;
  /** The reports' `lseq`: 1, 2, 3… in creation order, never reused. */
  lseq: number;
}
