/**
 * `outbound listen` and the recipients' wire options (CONTRACT §7): the deployed survey name,
 * `appliance_id` and custom fields pass its checks, and it says which recipient option sends
 * what it saw: once per kind on readable lines, in `recipientOptions` on JSON lines.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createOutput,
  inspectRequest,
  Listener,
  type ReceivedRecord,
} from '../../src/listener/index.js';
import { waitUntil } from '../support/wait.js';
import { freePort, killChildren, post, startCli } from './helpers.js';

const GUID = '1c7e0b0e-3f4a-4d8e-9a51-6a0f2a9b7c11';
const BEGIN = 'event=support_conference_begin&version=1&timestamp=1700000000&lsid=42';
const WITH_EXTRAS = `${BEGIN}&appliance_id=${GUID}&ticket_id=INC0012&priority=2`;
const REP_SURVEY =
  'event=support_conference_rep_exit_survey_completed&version=1&timestamp=1700000001&lsid=42';

const inspect = (body: string) =>
  inspectRequest({
    method: 'POST',
    path: '/',
    contentType: 'application/x-www-form-urlencoded',
    body: Buffer.from(body),
  });

describe('inspectRequest and the wire options', () => {
  it('accepts appliance_id and custom fields, and names the options that send them', () => {
    const result = inspect(WITH_EXTRAS);
    expect(result.problems).toEqual([]);
    expect(result.isEvent).toBe(true);
    expect(result.recipientOptions).toEqual({
      sendApplianceId: true,
      sendCustomFields: ['ticket_id', 'priority'],
    });
    expect(result.variables.appliance_id).toBe(GUID);
  });

  it('names repSurveyEventName rep for the deployed survey name', () => {
    const result = inspect(`${REP_SURVEY}&appliance_id=${GUID}`);
    expect(result.problems).toEqual([]);
    expect(result.recipientOptions).toEqual({ repSurveyEventName: 'rep', sendApplianceId: true });
  });

  it('says nothing about options for a guide-exact body', () => {
    const result = inspect(
      'event=support_conference_representative_exit_survey_completed&version=1&timestamp=1&lsid=9',
    );
    expect(result.problems).toEqual([]);
    expect(result.recipientOptions).toBeUndefined();
  });

  it('flags empty values and names that cannot be custom fields', () => {
    expect(inspect(`${BEGIN}&appliance_id=&ticket_id=`).problems).toEqual([
      'appliance_id must be a non-empty string',
      'ticket_id must be a non-empty string',
    ]);
    expect(inspect(`${BEGIN}&Ticket-ID=1`).problems).toEqual(['unknown field "Ticket-ID"']);
  });
});

describe('the output: which recipient option, once per kind', () => {
  let listener: Listener | undefined;
  afterEach(async () => {
    await listener?.close();
    listener = undefined;
  });

  it('prints a note the first time each kind is seen, and puts the options on JSON lines', async () => {
    let readable = '';
    let json = '';
    const toText = createOutput({ stream: { write: (t: string) => (readable += t) } });
    const toJson = createOutput({ stream: { write: (t: string) => (json += t) }, json: true });
    const records: ReceivedRecord[] = [];
    listener = await Listener.start({
      port: 0,
      onRecord: (record) => {
        records.push(record);
        toText.write(record);
        toJson.write(record);
      },
    });
    for (const body of [BEGIN, WITH_EXTRAS, WITH_EXTRAS, REP_SURVEY, REP_SURVEY]) {
      expect((await post(listener.url, body)).status).toBe(200);
    }
    expect(listener.stats).toMatchObject({ requests: 5, events: 5, problems: 0 });

    const notes = readable.split('\n').filter((line) => line.startsWith('  ↳ '));
    expect(notes).toEqual([
      '  ↳ appliance_id present: the recipient has sendApplianceId on',
      '  ↳ custom fields ticket_id, priority: the recipient has sendCustomFields on',
      '  ↳ survey sent as support_conference_rep_exit_survey_completed: the recipient has repSurveyEventName rep',
    ]);
    // Each note follows the line of the request that first showed it.
    const lines = readable.trimEnd().split('\n');
    expect(lines[2]).toBe(notes[0]);
    expect(lines[6]).toBe(notes[2]);

    const parsed = json
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(parsed).toHaveLength(5);
    expect(parsed[0].recipientOptions).toBeUndefined();
    expect(parsed[1].recipientOptions).toEqual({
      sendApplianceId: true,
      sendCustomFields: ['ticket_id', 'priority'],
    });
    expect(parsed[3].recipientOptions).toEqual({ repSurveyEventName: 'rep' });
  });
});

describe('outbound listen --json (the command)', () => {
  afterEach(() => killChildren());

  it('reports no problem and the recipient options for a body with the extras', async () => {
    const port = await freePort();
    const cli = startCli(['listen', '--port', String(port), '--json']);
    await waitUntil(() => cli.stderr().includes('listening on'), 'the start line', 20_000);
    expect((await post(`http://127.0.0.1:${port}/`, WITH_EXTRAS)).status).toBe(200);
    await waitUntil(() => cli.stdout().includes('\n'), 'one JSON line');
    const line = JSON.parse(cli.stdout().trimEnd());
    expect(line).toMatchObject({
      problems: [],
      recipientOptions: { sendApplianceId: true, sendCustomFields: ['ticket_id', 'priority'] },
    });
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });
});
