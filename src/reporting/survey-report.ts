import { primaryCustomer, primaryRep } from '../sessions/participants.js';
import type { SessionRecord, SurveyParty } from '../sessions/types.js';
import {
  type ReportContext,
  surveyor,
  surveyTime,
  writeAnswers,
  writeTime,
} from './session-report.js';
import type { XmlWriter } from './xml-writer.js';

/*
 * One entry of SupportCustExitSurvey / SupportRepExitSurvey: a submitted exit survey with the
 * session it belongs to. The vendor's element names for these two reports could not be read
 * (see the README); the answers use the same `value[@name,@value]` as the session report's
 * survey lists, so a client reads them the same way in both.
 */
export function surveyReportEntry(
  w: XmlWriter,
  record: SessionRecord,
  party: SurveyParty,
  ctx: ReportContext,
): void {
  const { state } = record;
  w.start('exit_survey', {
    lsid: state.lsid,
    type: party,
    gsnumber: surveyor(record, party),
  });
  w.element('lseq', record.lseq);
  writeTime(w, 'survey_time', surveyTime(record, party));
  w.element('public_site', ctx.siteName, { id: 1 });
  w.element('external_key', state.externalKey ?? '');
  const customer = primaryCustomer(state);
  if (customer !== undefined) {
    w.element('primary_customer', customer.member.display_name, { gsnumber: customer.id });
  }
  const rep = primaryRep(state);
  if (rep !== undefined && rep.member.type === 'representative') {
    w.element('primary_rep', rep.member.display_name, { gsnumber: rep.id, id: rep.member.user_id });
  }
  const answers = state.surveyAnswers[party];
  if (answers.length === 0) {
    w.element('answers');
  } else {
    w.start('answers');
    writeAnswers(w, answers);
    w.close();
  }
  w.close();
}
