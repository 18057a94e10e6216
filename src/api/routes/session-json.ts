import {
  primaryCustomer,
  primaryRep,
  type SessionDetail,
  type SessionRecord,
  secondsInvolved,
} from '../../sessions/index.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const isoSeconds = (s: number | null | undefined) =>
  s === null || s === undefined ? null : new Date(s * 1000).toISOString();

/**
 * A session as the sessions API shows it: everything the reports show (participants with
 * their details, gsnumber and seconds involved, chat, notes, files, surveys with answers,
 * custom attributes, detail events, lseq). `now` (ms) counts the seconds of members still in
 * a running session.
 */
export function sessionJson(record: SessionRecord, now: number) {
  const { state } = record;
  const nowSeconds = Math.floor(now / 1000);
  const by = (detail: SessionDetail) => detail.performedBy?.gsnumber ?? null;
  return {
    lsid: state.lsid,
    lseq: record.lseq,
    external_key: state.externalKey,
    owner: state.owner,
    ended: state.ended,
    members: state.members.map((m) => ({
      memberId: m.id,
      gsnumber: m.id,
      ...m.member,
      present: m.present,
      details: m.details ?? {},
      joinedAt: isoSeconds(m.joinedAt),
      leftAt: isoSeconds(m.leftAt),
      seconds_involved: secondsInvolved(m, record, nowSeconds),
    })),
    primary_customer: primaryCustomer(state)?.id ?? null,
    primary_rep: primaryRep(state)?.id ?? null,
    surveys: state.surveys,
    survey_answers: state.surveyAnswers,
    custom_attributes: state.customAttributes,
    file_counts: state.fileCounts,
    chat: state.details
      .filter((d) => d.type === 'Chat Message')
      .map((d) => ({
        at: isoSeconds(d.timestamp),
        from: by(d),
        to: d.destination?.gsnumber ?? null,
        body: d.body ?? '',
      })),
    notes: state.details
      .filter((d) => d.type === 'Session Note Added')
      .map((d) => ({ at: isoSeconds(d.timestamp), by: by(d), body: d.body ?? '' })),
    files: state.details
      .filter((d) => d.type === 'File Upload' || d.type === 'File Download')
      .flatMap((d) =>
        (d.files ?? []).map((f) => ({
          at: isoSeconds(d.timestamp),
          by: by(d),
          direction: d.type === 'File Upload' ? 'upload' : 'download',
          filename: f.filename,
          filesize: f.filesize,
        })),
      ),
    details: state.details.map(detailJson),
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    endedAt: iso(record.endedAt),
  };
}

/** A detail event in the reports' words (`event_type`, `performed_by`, …). */
function detailJson(detail: SessionDetail) {
  const out: Record<string, unknown> = {
    timestamp: detail.timestamp,
    event_type: detail.type,
  };
  if (detail.performedBy !== undefined) out.performed_by = detail.performedBy;
  if (detail.destination !== undefined) out.destination = detail.destination;
  if (detail.body !== undefined) out.body = detail.body;
  if (detail.data !== undefined) out.data = detail.data;
  if (detail.files !== undefined) out.files = detail.files;
  return out;
}
