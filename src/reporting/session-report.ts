import { primaryCustomer, primaryRep, secondsInvolved } from '../sessions/participants.js';
import type {
  CustomerDetails,
  DetailParty,
  RepresentativeDetails,
  SessionDetail,
  SessionMember,
  SessionRecord,
  SurveyParty,
} from '../sessions/types.js';
import { base64Text, isXmlText, type XmlWriter } from './xml-writer.js';

/*
 * One `session` of the SupportSession report, element by element in the order of the vendor's
 * documents (see reporting.xsd). Times: a `timestamp` attribute in Unix seconds and the same
 * instant as ISO 8601 text with an explicit +00:00, as the appliance writes them.
 */

/** What a report needs besides the sessions. */
export interface ReportContext {
  /** The public site every session belongs to (`public_site`, id 1). */
  siteName: string;
  /** Custom fields' display names by code name; a value whose field was removed shows its code name. */
  customFieldNames: ReadonlyMap<string, string>;
  /** Milliseconds: how long running sessions and present members have lasted so far. */
  now: number;
}

/** What the appliance writes for a detail it does not know. */
const UNKNOWN = 'Unknown';

export const seconds = (ms: number): number => Math.floor(ms / 1000);

/** `2024-12-03T15:26:05+00:00`. */
export function isoTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** `HH:MM:SS`; hours go past 99 when they must. */
export function hms(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** `<name timestamp="…">ISO</name>`. */
export function writeTime(w: XmlWriter, name: string, unixSeconds: number): void {
  w.element(name, isoTime(unixSeconds), { timestamp: unixSeconds });
}

/** The session's custom attributes, in code-name order. */
export function writeCustomAttributes(
  w: XmlWriter,
  values: Record<string, string>,
  names: ReadonlyMap<string, string>,
): void {
  const codes = Object.keys(values).sort();
  if (codes.length === 0) {
    w.element('custom_attributes');
    return;
  }
  w.start('custom_attributes');
  for (const code of codes) {
    w.element('custom_attribute', values[code] ?? '', {
      code_name: code,
      display_name: names.get(code) ?? code,
    });
  }
  w.close();
}

export function writeSession(w: XmlWriter, record: SessionRecord, ctx: ReportContext): void {
  const { state } = record;
  const start = seconds(record.createdAt);
  const end = record.endedAt === null ? null : seconds(record.endedAt);
  const nowSeconds = seconds(ctx.now);
  w.start('session', { lsid: state.lsid });
  w.element('session_type', 'support');
  w.element('lseq', record.lseq);
  writeTime(w, 'start_time', start);
  // A running session has no end_time: clients read its absence as "in progress".
  if (end !== null) writeTime(w, 'end_time', end);
  w.element('duration', hms((end ?? nowSeconds) - start));
  w.element('public_site', ctx.siteName, { id: 1 });
  w.element('external_key', state.externalKey ?? '');
  writeCustomAttributes(w, state.customAttributes, ctx.customFieldNames);
  w.element('file_transfer_count', state.fileCounts.transfers);
  w.element('file_move_count', state.fileCounts.moves);
  w.element('file_delete_count', state.fileCounts.deletes);
  const customer = primaryCustomer(state);
  if (customer !== undefined) {
    w.element('primary_customer', customer.member.display_name, { gsnumber: customer.id });
  }
  const rep = primaryRep(state);
  if (rep !== undefined && rep.member.type === 'representative') {
    w.element('primary_rep', rep.member.display_name, {
      gsnumber: rep.id,
      id: rep.member.user_id,
    });
  }
  writeCustomers(w, state.members, customer);
  writeReps(w, record, rep, nowSeconds);
  writeSurveys(w, record, 'customer');
  writeSurveys(w, record, 'representative');
  writeDetails(w, state.details);
  w.close();
}

function writeCustomers(
  w: XmlWriter,
  members: SessionMember[],
  primary: SessionMember | undefined,
): void {
  const customers = members.filter((m) => m.member.type === 'customer');
  if (customers.length === 0) {
    w.element('customer_list');
    return;
  }
  w.start('customer_list');
  for (const m of customers) {
    const d = (m.details ?? {}) as CustomerDetails;
    const info = d.info ?? {};
    w.start('customer', { gsnumber: m.id });
    w.element('username', d.username ?? UNKNOWN);
    w.element('public_ip', d.public_ip ?? UNKNOWN);
    w.element('private_ip', d.private_ip ?? UNKNOWN);
    w.element('hostname', d.hostname ?? UNKNOWN);
    w.element('os', d.os ?? UNKNOWN);
    w.element('primary_cust', m === primary ? 1 : 0);
    w.start('info');
    w.element('name', info.name ?? m.member.display_name);
    w.element('company', info.company ?? '');
    w.element('company_code', info.company_code ?? '');
    w.element('issue', info.issue ?? '');
    w.element('details', info.details ?? '');
    w.close();
    w.close();
  }
  w.close();
}

function writeReps(
  w: XmlWriter,
  record: SessionRecord,
  primary: SessionMember | undefined,
  nowSeconds: number,
): void {
  const reps = record.state.members.filter((m) => m.member.type === 'representative');
  if (reps.length === 0) {
    w.element('rep_list');
    return;
  }
  w.start('rep_list');
  for (const m of reps) {
    if (m.member.type !== 'representative') continue;
    const d = (m.details ?? {}) as RepresentativeDetails;
    const owner = m === primary ? 1 : 0;
    w.start('representative', { gsnumber: m.id, id: m.member.user_id });
    w.element('username', m.member.username);
    w.element('display_name', m.member.display_name);
    w.element('public_display_name', d.public_display_name ?? m.member.display_name);
    w.element('private_display_name', d.private_display_name ?? m.member.display_name);
    w.element('public_ip', d.public_ip ?? UNKNOWN);
    w.element('private_ip', d.private_ip ?? UNKNOWN);
    w.element('hostname', d.hostname ?? UNKNOWN);
    w.element('os', d.os ?? UNKNOWN);
    // Newer clients read session_owner, older ones primary_rep: both say the same.
    w.element('session_owner', owner);
    w.element('primary_rep', owner);
    w.element('seconds_involved', secondsInvolved(m, record, nowSeconds));
    w.close();
  }
  w.close();
}

const SURVEY_ELEMENTS = {
  customer: { list: 'cust_survey_list', item: 'cust_exit_survey', detail: 'Customer Exit Survey' },
  representative: {
    list: 'rep_survey_list',
    item: 'rep_exit_survey',
    detail: 'Representative Exit Survey',
  },
} as const satisfies Record<SurveyParty, { list: string; item: string; detail: string }>;

/**
 * Who filled in a party's survey: the performer of its detail event, else the primary member of
 * that party (surveys stored before detail events were kept).
 */
export function surveyor(record: SessionRecord, party: SurveyParty): number {
  const detail = record.state.details.find((d) => d.type === SURVEY_ELEMENTS[party].detail);
  if (detail?.performedBy !== undefined) return detail.performedBy.gsnumber;
  const member = party === 'customer' ? primaryCustomer(record.state) : primaryRep(record.state);
  return member?.id ?? 0;
}

/** When a party's survey was submitted (its detail event), else when the session ended. */
export function surveyTime(record: SessionRecord, party: SurveyParty): number {
  const detail = record.state.details.find((d) => d.type === SURVEY_ELEMENTS[party].detail);
  return detail?.timestamp ?? seconds(record.endedAt ?? record.updatedAt);
}

/** The survey's answers as `value[@name,@value]`. */
export function writeAnswers(w: XmlWriter, answers: { name: string; value: string }[]): void {
  for (const a of answers) w.element('value', '', { name: a.name, value: a.value });
}

function writeSurveys(w: XmlWriter, record: SessionRecord, party: SurveyParty): void {
  const names = SURVEY_ELEMENTS[party];
  if (!record.state.surveys[party]) {
    w.element(names.list);
    return;
  }
  const answers = record.state.surveyAnswers[party];
  w.start(names.list);
  if (answers.length === 0) {
    w.element(names.item, '', { gsnumber: surveyor(record, party) });
  } else {
    w.start(names.item, { gsnumber: surveyor(record, party) });
    writeAnswers(w, answers);
    w.close();
  }
  w.close();
}

function writeParty(w: XmlWriter, name: string, party: DetailParty): void {
  w.element(name, party.name, { type: party.type, gsnumber: party.gsnumber });
}

/** `body`, or `encoded_body` (base64 of its UTF-8) when XML 1.0 cannot carry the text. */
export function writeBody(w: XmlWriter, body: string): void {
  if (isXmlText(body)) w.element('body', body);
  else w.element('encoded_body', base64Text(body));
}

function writeDetails(w: XmlWriter, details: SessionDetail[]): void {
  if (details.length === 0) {
    w.element('session_details');
    return;
  }
  w.start('session_details');
  for (const d of details) {
    const attributes = { timestamp: d.timestamp, event_type: d.type };
    const empty =
      d.performedBy === undefined &&
      d.destination === undefined &&
      d.body === undefined &&
      (d.data ?? []).length === 0 &&
      (d.files ?? []).length === 0;
    if (empty) {
      w.element('event', '', attributes);
      continue;
    }
    w.start('event', attributes);
    if (d.performedBy !== undefined) writeParty(w, 'performed_by', d.performedBy);
    if (d.destination !== undefined) writeParty(w, 'destination', d.destination);
    if (d.body !== undefined) writeBody(w, d.body);
    if (d.data !== undefined && d.data.length > 0) {
      w.start('data');
      writeAnswers(w, d.data);
      w.close();
    }
    if (d.files !== undefined && d.files.length > 0) {
      w.start('files');
      for (const f of d.files) {
        w.start('file');
        w.element('filename', f.filename);
        w.element('filesize', f.filesize);
        w.close();
      }
      w.close();
    }
    w.close();
  }
  w.close();
}
