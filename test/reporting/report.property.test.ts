/**
 * Any session the model accepts, stored on either backend, gives a report that is valid
 * against reporting.xsd and whose session_details agree with the schema-1 events emitted for
 * it: the same steps, in the same order, at the same times, by the same members; chat and
 * notes read back as written (body, or encoded_body when XML 1.0 cannot carry them).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Member, OutboundEvent } from '../../src/events/index.js';
import { toXmlText } from '../../src/reporting/index.js';
import {
  applyAction,
  createSession,
  newLsid,
  type SessionAction,
  SessionError,
} from '../../src/sessions/index.js';
import { BACKENDS } from '../store/backends.js';
import { freshStore } from '../store/harness.js';
import { requirePhp, runPhp, XSD_PATH } from './php.js';
import { render } from './render.js';

const T = 1_700_000_000;

/** Text heavy in what XML escapes or cannot carry. */
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({
    minLength: 1,
    unit: fc.constantFrom(
      '\u0000',
      '\u0007',
      '\r',
      '\n',
      '<',
      '&',
      ']]>',
      '"',
      '\uD800',
      '😀',
      'a',
    ),
    maxLength: 12,
  }),
);

const member: fc.Arbitrary<Member> = fc.oneof(
  fc.record({
    type: fc.constant('representative' as const),
    display_name: fc.oneof(fc.constantFrom('Ann', 'Bob & Co'), text),
    user_id: fc.constantFrom('12', '17'),
    username: fc.constantFrom('ann', 'bob'),
  }),
  fc.record({
    type: fc.constant('customer' as const),
    display_name: fc.oneof(fc.constantFrom('Zoë', '王小明'), text),
  }),
);

const id = fc.integer({ min: 1, max: 3 });

const action: fc.Arbitrary<SessionAction> = fc.oneof(
  { weight: 3, arbitrary: member.map((m) => ({ kind: 'add-member', member: m }) as const) },
  { weight: 1, arbitrary: id.map((memberId) => ({ kind: 'remove-member', memberId }) as const) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        { conference_id: 'rep:12', conference_name: 'Ann' },
        { conference_id: 'team:5', conference_name: 'Tier 1' },
      )
      .map((owner) => ({ kind: 'owner', owner }) as const),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'end' } as const) },
  {
    weight: 1,
    arbitrary: fc
      .record({
        party: fc.constantFrom('customer' as const, 'representative' as const),
        answers: fc.array(fc.record({ name: fc.constantFrom('rating', 'comments'), value: text }), {
          maxLength: 2,
        }),
      })
      .map((s) => ({ kind: 'survey', ...s }) as const),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({ from: id, to: fc.option(id, { nil: undefined }), body: text })
      .map(({ from, to, body }) =>
        to === undefined
          ? ({ kind: 'chat', from, body } as const)
          : ({ kind: 'chat', from, to, body } as const),
      ),
  },
  {
    weight: 2,
    arbitrary: fc.record({ by: id, body: text }).map((n) => ({ kind: 'note', ...n }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        by: id,
        direction: fc.constantFrom('upload' as const, 'download' as const),
        filename: text,
        filesize: fc.nat(),
      })
      .map((f) => ({ kind: 'file', ...f }) as const),
  },
  {
    weight: 1,
    arbitrary: text.map((k) => ({ kind: 'attributes', externalKey: k, values: {} }) as const),
  },
);

/** Validates with libxml2 and reads the session's details back, as a PHP client would. */
const READ = `
libxml_use_internal_errors(true);
$doc = new DOMDocument();
if (!$doc->loadXML(stream_get_contents(STDIN))) { echo json_encode(['errors' => ['not well-formed']]); exit(0); }
$errors = [];
if (!$doc->schemaValidate(getenv('XSD'))) foreach (libxml_get_errors() as $e) $errors[] = trim($e->message);
$x = new DOMXPath($doc);
$x->registerNamespace('r', 'http://www.bomgar.com/namespaces/API/reporting');
$events = [];
foreach ($x->query('//r:session_details/r:event') as $e) {
  $item = ['type' => $e->getAttribute('event_type'), 'ts' => (int) $e->getAttribute('timestamp')];
  foreach ($e->childNodes as $c) {
    if ($c->nodeName === 'performed_by') $item['by'] = $c->textContent;
    if ($c->nodeName === 'body') $item['body'] = $c->textContent;
    if ($c->nodeName === 'encoded_body') $item['body'] = base64_decode($c->textContent);
  }
  $events[] = $item;
}
echo json_encode(['errors' => $errors, 'ended' => $x->query('//r:session/r:end_time')->length === 1, 'events' => $events], JSON_INVALID_UTF8_SUBSTITUTE);
`;

const DETAIL_OF: Record<string, string> = {
  support_conference_begin: 'Session Start',
  support_conference_owner_changed: 'Conference Owner Changed',
  support_conference_member_added: 'Conference Member Added',
  support_conference_member_departed: 'Conference Member Departed',
  support_conference_end: 'Session End',
  support_conference_customer_exit_survey_completed: 'Customer Exit Survey',
  support_conference_representative_exit_survey_completed: 'Representative Exit Survey',
};

interface ReadEvent {
  type: string;
  ts: number;
  by?: string;
  body?: string;
}

for (const backend of BACKENDS) {
  describe(`${backend.name}: reports of any session the model accepts`, () => {
    const t = freshStore(backend);

    it('are valid, and their details agree with the schema-1 events emitted', async () => {
      requirePhp();
      await fc.assert(
        fc.asyncProperty(fc.array(action, { maxLength: 25 }), async (actions) => {
          const lsid = newLsid();
          const emitted: OutboundEvent[] = [];
          const texts: string[] = [];
          const created = createSession(lsid, {}, T);
          emitted.push(...created.events);
          await t.store.changeSession(
            lsid,
            () => ({ state: created.state, events: [], result: undefined }),
            T * 1000,
          );
          let ts = T;
          for (const step of actions) {
            ts += 1;
            const at = ts;
            try {
              const { result } = await t.store.changeSession(
                lsid,
                (current) => {
                  const outcome = applyAction(
                    (current as NonNullable<typeof current>).state,
                    step,
                    at,
                  );
                  return { state: outcome.state, events: [], result: outcome.events };
                },
                at * 1000,
              );
              emitted.push(...result);
              if (step.kind === 'chat' || step.kind === 'note') texts.push(step.body);
            } catch (error) {
              if (!(error instanceof SessionError)) throw error;
            }
          }
          const xml = await render(
            t.store,
            { generate_report: 'SupportSession', lsid },
            (ts + 10) * 1000,
          );
          const read = JSON.parse(await runPhp(`putenv('XSD=${XSD_PATH}'); ${READ}`, xml)) as {
            errors: string[];
            ended: boolean;
            events: ReadEvent[];
          };
          expect(read.errors).toEqual([]);
          const ended = emitted.some((e) => e.event === 'support_conference_end');
          expect(read.ended).toBe(ended);

          // The details that have a schema-1 event: one for one, in order, same time, same member.
          const expected = emitted.map((e) => {
            const item: ReadEvent = { type: DETAIL_OF[e.event] as string, ts: e.timestamp };
            if ('display_name' in e) item.by = toXmlText(e.display_name);
            return item;
          });
          const got = read.events
            .filter((e) => Object.values(DETAIL_OF).includes(e.type))
            .map((e) => {
              const item: ReadEvent = { type: e.type, ts: e.ts };
              if (e.type.startsWith('Conference Member') && e.by !== undefined) item.by = e.by;
              return item;
            });
          expect(got).toEqual(expected);

          // Chat and notes read back as written (UTF-8 cannot hold a lone surrogate: U+FFFD).
          const bodies = read.events
            .filter((e) => e.type === 'Chat Message' || e.type === 'Session Note Added')
            .map((e) => e.body ?? '');
          expect(bodies).toEqual(texts.map((s) => Buffer.from(s, 'utf8').toString('utf8')));
        }),
        { numRuns: 60 },
      );
    });
  });
}
