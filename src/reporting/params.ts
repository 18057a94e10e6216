import type { SessionReportQuery } from '../store/session-report-query.js';

/*
 * The Reporting API's parameters, checked before anything is read: one report name, and one
 * of the parameter sets the vendor documents (`lsid` | `lsids` | `start_date`, `start_time`,
 * `end_date` or `end_time` with `duration`). A problem is a ReportParameterError naming the
 * parameter; its message goes back to the caller in an `<error>`.
 */

/** The reports this server produces. */
export const REPORTS = [
  'SupportSession',
  'SupportSessionListing',
  'SupportCustExitSurvey',
  'SupportRepExitSurvey',
] as const;
export type ReportName = (typeof REPORTS)[number];

/** The vendor's other report names: known, answered with an error saying they are not served. */
const NOT_SERVED = new Set([
  'SupportSessionSummary',
  'SupportSessionRecording',
  'ShowMyScreenRecording',
  'CommandShellRecording',
  'PresentationSession',
  'PresentationSessionListing',
  'PresentationSessionRecording',
  'SupportTeam',
  'ArchiveListing',
  'Archive',
  'LicenseUsage',
  'EndpointLicenseUsage',
]);

/** At most this many sessions in one `lsids`. */
export const MAX_LSIDS = 1000;

/** The longest window accepted: 100 years, in days (dates) and seconds (times). */
const MAX_DURATION = { days: 36_525, seconds: 36_525 * 86_400 } as const;

const LSID = /^[0-9a-fA-F]{32}$/;
const DIGITS = /^[0-9]{1,15}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Who a survey report is limited to (`report_type` with `id`). */
export interface SurveyFilter {
  by: 'rep' | 'team';
  id: string;
}

export interface ReportRequest {
  report: ReportName;
  sessions: SessionReportQuery;
  /** Exit-survey reports only: `report_type=rep|team` with an `id`. */
  surveyFilter?: SurveyFilter;
}

export class ReportParameterError extends Error {
  readonly code = 'REPORT_PARAMETER';
  constructor(
    /** The parameter at fault. */
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReportParameterError';
  }
}

const fail = (parameter: string, message: string): never => {
  throw new ReportParameterError(parameter, message);
};

/** The selection parameters, in the order a clash is reported. */
const SELECTORS = ['lsid', 'lsids', 'start_date', 'start_time', 'end_date', 'end_time'] as const;

/** Checks the parameters of one request; throws ReportParameterError. */
export function parseReportRequest(params: ReadonlyMap<string, string>): ReportRequest {
  const report = params.get('generate_report');
  if (report === undefined || report === '') {
    return fail('generate_report', 'Missing required parameter: generate_report');
  }
  if (!(REPORTS as readonly string[]).includes(report)) {
    return NOT_SERVED.has(report)
      ? fail('generate_report', `Report type not supported by this server: ${report}`)
      : fail('generate_report', `Invalid value for parameter generate_report: ${report}`);
  }
  const request: ReportRequest = { report: report as ReportName, sessions: selection(params) };
  if (report === 'SupportCustExitSurvey' || report === 'SupportRepExitSurvey') {
    const filter = surveyFilter(params);
    if (filter !== undefined) request.surveyFilter = filter;
  }
  return request;
}

function selection(params: ReadonlyMap<string, string>): SessionReportQuery {
  const given = SELECTORS.filter((name) => params.has(name));
  if (given.length === 0) {
    return fail(
      'lsid',
      'Missing required parameter: one of lsid, lsids, start_date, start_time, end_date, end_time',
    );
  }
  if (given.length > 1) {
    return fail(given[1] as string, `Parameters ${given.join(' and ')} cannot be used together`);
  }
  const name = given[0] as (typeof SELECTORS)[number];
  const value = params.get(name) as string;
  if (name === 'lsid') return { kind: 'lsids', lsids: [lsid('lsid', value)] };
  if (name === 'lsids') return { kind: 'lsids', lsids: lsidList(value) };
  const byDate = name.endsWith('_date');
  const from = byDate ? dateMs(name, value) : timeMs(name, value);
  const duration = durationMs(params, byDate);
  const kind = name.startsWith('start_') ? 'started' : 'ended';
  return { kind, from, before: duration === 0 ? null : from + duration };
}

function lsid(parameter: string, value: string): string {
  if (!LSID.test(value)) {
    fail(parameter, `Invalid value for parameter ${parameter}: a session ID is 32 hex digits`);
  }
  return value.toLowerCase();
}

function lsidList(value: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) fail('lsids', 'Invalid value for parameter lsids: no session ID');
  if (items.length > MAX_LSIDS) {
    fail('lsids', `Invalid value for parameter lsids: more than ${MAX_LSIDS} session IDs`);
  }
  return [...new Set(items.map((item) => lsid('lsids', item)))];
}

/** Midnight UTC of a YYYY-MM-DD that names a real day. */
function dateMs(parameter: string, value: string): number {
  const match = DATE.exec(value);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    return fail(parameter, `Invalid value for parameter ${parameter}: expected YYYY-MM-DD`);
  }
  return ms;
}

/** A Unix timestamp in seconds (UTC), as milliseconds. */
function timeMs(parameter: string, value: string): number {
  if (!DIGITS.test(value)) {
    return fail(parameter, `Invalid value for parameter ${parameter}: expected a Unix timestamp`);
  }
  return Number(value) * 1000;
}

/** `duration` in milliseconds: days with a date, seconds with a time; 0 is "until now". */
function durationMs(params: ReadonlyMap<string, string>, byDate: boolean): number {
  const value = params.get('duration');
  if (value === undefined || value === '') {
    return fail('duration', 'Missing required parameter: duration');
  }
  const limit = byDate ? MAX_DURATION.days : MAX_DURATION.seconds;
  if (!DIGITS.test(value) || Number(value) > limit) {
    return fail(
      'duration',
      `Invalid value for parameter duration: a whole number of ${byDate ? 'days' : 'seconds'} from 0 to ${limit}`,
    );
  }
  return Number(value) * (byDate ? 86_400_000 : 1000);
}

/** `report_type` (rep or team) and `id`; both optional, `id` needed once `report_type` is given. */
function surveyFilter(params: ReadonlyMap<string, string>): SurveyFilter | undefined {
  const type = params.get('report_type');
  if (type === undefined || type === '') return undefined;
  if (type !== 'rep' && type !== 'team') {
    return fail('report_type', `Invalid value for parameter report_type: ${type}`);
  }
  const id = params.get('id');
  // The vendor's lsid sets carry report_type without an id: all of the sessions' surveys.
  if (id === undefined || id === '') return undefined;
  if (!DIGITS.test(id)) return fail('id', `Invalid value for parameter id: ${id}`);
  return { by: type, id };
}
