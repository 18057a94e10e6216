import { APPLIANCE_ID, isCustomFieldName } from '../receiver/wire-extras.js';

/**
 * The recipient options (CONTRACT §7) a request shows its sender has on: what a recipient in
 * Outbound would need to send what the listener saw. Absent members: the guide's behaviour.
 */
export interface RecipientOptionsSeen {
  /** The representative exit survey came as `support_conference_rep_exit_survey_completed`. */
  repSurveyEventName?: 'rep';
  /** `appliance_id` came. */
  sendApplianceId?: true;
  /** Custom fields came: their code names, in the order sent. */
  sendCustomFields?: string[];
}

/** What `variables` of event `sent` (as sent) say about the sender's options; undefined: none. */
export function recipientOptionsSeen(
  sent: string,
  variables: Record<string, string>,
  allowed: ReadonlySet<string>,
  guideName: string,
): RecipientOptionsSeen | undefined {
  const seen: RecipientOptionsSeen = {};
  if (sent !== guideName) seen.repSurveyEventName = 'rep';
  const custom: string[] = [];
  for (const key of Object.keys(variables)) {
    if (allowed.has(key)) continue;
    if (key === APPLIANCE_ID) seen.sendApplianceId = true;
    else if (isCustomFieldName(key)) custom.push(key);
  }
  if (custom.length > 0) seen.sendCustomFields = custom;
  return Object.keys(seen).length === 0 ? undefined : seen;
}

export type RecipientOptionKind = keyof RecipientOptionsSeen;

/** One line per option seen: what came, and the recipient option that sends it. */
export function recipientOptionNotes(
  seen: RecipientOptionsSeen,
): Array<{ kind: RecipientOptionKind; text: string }> {
  const notes: Array<{ kind: RecipientOptionKind; text: string }> = [];
  if (seen.repSurveyEventName !== undefined) {
    notes.push({
      kind: 'repSurveyEventName',
      text: 'survey sent as support_conference_rep_exit_survey_completed: the recipient has repSurveyEventName rep',
    });
  }
  if (seen.sendApplianceId) {
    notes.push({
      kind: 'sendApplianceId',
      text: 'appliance_id present: the recipient has sendApplianceId on',
    });
  }
  if (seen.sendCustomFields !== undefined) {
    notes.push({
      kind: 'sendCustomFields',
      text: `custom fields ${seen.sendCustomFields.join(', ')}: the recipient has sendCustomFields on`,
    });
  }
  return notes;
}
