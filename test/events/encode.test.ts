import { describe, expect, it } from 'vitest';
import {
  decodeEvent,
  encodeEvent,
  FORM_CONTENT_TYPE,
  type OutboundEvent,
  validateEvent,
} from '../../src/events/index.js';

/**
 * Golden bodies, written by hand from the WHATWG application/x-www-form-urlencoded serializer:
 * UTF-8, then every byte except ASCII alphanumerics and `*-._` is percent-encoded (upper-case
 * hex), except the space, which becomes `+`. Fields in the guide's order: event, version,
 * timestamp, lsid, external_key, then the event's own variables.
 */
interface Golden {
  title: string;
  event: OutboundEvent;
  body: string;
}

const GOLDEN: Golden[] = [
  // support_conference_begin
  {
    title: 'begin, no external_key',
    event: { event: 'support_conference_begin', version: 1, timestamp: 1700000000, lsid: '42' },
    body: 'event=support_conference_begin&version=1&timestamp=1700000000&lsid=42',
  },
  {
    title: 'begin, with external_key',
    event: {
      event: 'support_conference_begin',
      version: 1,
      timestamp: 1700000000,
      lsid: '42',
      external_key: 'INC-7',
    },
    body: 'event=support_conference_begin&version=1&timestamp=1700000000&lsid=42&external_key=INC-7',
  },
  // support_conference_end
  {
    title: 'end, no external_key',
    event: { event: 'support_conference_end', version: 1, timestamp: 1700000001, lsid: '42' },
    body: 'event=support_conference_end&version=1&timestamp=1700000001&lsid=42',
  },
  {
    title: 'end, lsid with leading zeros, external_key with reserved and non-ASCII characters',
    event: {
      event: 'support_conference_end',
      version: 1,
      timestamp: 1700000001,
      lsid: '0042',
      external_key: 'INC 7/ä?#',
    },
    body: 'event=support_conference_end&version=1&timestamp=1700000001&lsid=0042&external_key=INC+7%2F%C3%A4%3F%23',
  },
  // support_conference_owner_changed
  {
    title: 'owner_changed to a representative, no external_key',
    event: {
      event: 'support_conference_owner_changed',
      version: 1,
      timestamp: 1700000002,
      lsid: '42',
      conference_id: 'rep:12',
      conference_name: 'John Smith',
    },
    body: 'event=support_conference_owner_changed&version=1&timestamp=1700000002&lsid=42&conference_id=rep%3A12&conference_name=John+Smith',
  },
  {
    title: 'owner_changed to a team, with external_key',
    event: {
      event: 'support_conference_owner_changed',
      version: 1,
      timestamp: 1700000002,
      lsid: '42',
      external_key: 'INC-7',
      conference_id: 'team:5',
      conference_name: 'Troubleshooting',
    },
    body: 'event=support_conference_owner_changed&version=1&timestamp=1700000002&lsid=42&external_key=INC-7&conference_id=team%3A5&conference_name=Troubleshooting',
  },
  {
    title: 'owner_changed to general',
    event: {
      event: 'support_conference_owner_changed',
      version: 1,
      timestamp: 1700000002,
      lsid: '42',
      conference_id: 'general',
      conference_name: 'General',
    },
    body: 'event=support_conference_owner_changed&version=1&timestamp=1700000002&lsid=42&conference_id=general&conference_name=General',
  },
  {
    title: 'owner_changed, team name with & = % +',
    event: {
      event: 'support_conference_owner_changed',
      version: 1,
      timestamp: 1700000002,
      lsid: '42',
      conference_id: 'team:9',
      conference_name: 'R&D = 50% + QA',
    },
    body: 'event=support_conference_owner_changed&version=1&timestamp=1700000002&lsid=42&conference_id=team%3A9&conference_name=R%26D+%3D+50%25+%2B+QA',
  },
  // support_conference_member_added
  {
    title: 'member_added, customer José Müller, no external_key',
    event: {
      event: 'support_conference_member_added',
      version: 1,
      timestamp: 1700000003,
      lsid: '42',
      type: 'customer',
      display_name: 'José Müller',
    },
    body: 'event=support_conference_member_added&version=1&timestamp=1700000003&lsid=42&type=customer&display_name=Jos%C3%A9+M%C3%BCller',
  },
  {
    title: 'member_added, customer with & = " + % in the name, with external_key',
    event: {
      event: 'support_conference_member_added',
      version: 1,
      timestamp: 1700000003,
      lsid: '42',
      external_key: 'INC-7',
      type: 'customer',
      display_name: 'Tom & Jerry = "friends" + 100%',
    },
    body: 'event=support_conference_member_added&version=1&timestamp=1700000003&lsid=42&external_key=INC-7&type=customer&display_name=Tom+%26+Jerry+%3D+%22friends%22+%2B+100%25',
  },
  {
    title: 'member_added, representative 王小明, with external_key',
    event: {
      event: 'support_conference_member_added',
      version: 1,
      timestamp: 1700000003,
      lsid: '42',
      external_key: 'INC-7',
      type: 'representative',
      display_name: '王小明',
      user_id: '17',
      username: 'xiaoming.wang',
    },
    body: 'event=support_conference_member_added&version=1&timestamp=1700000003&lsid=42&external_key=INC-7&type=representative&display_name=%E7%8E%8B%E5%B0%8F%E6%98%8E&user_id=17&username=xiaoming.wang',
  },
  {
    title: 'member_added, representative José Müller, no external_key',
    event: {
      event: 'support_conference_member_added',
      version: 1,
      timestamp: 1700000003,
      lsid: '42',
      type: 'representative',
      display_name: 'José Müller',
      user_id: '3',
      username: 'jose.muller',
    },
    body: 'event=support_conference_member_added&version=1&timestamp=1700000003&lsid=42&type=representative&display_name=Jos%C3%A9+M%C3%BCller&user_id=3&username=jose.muller',
  },
  // support_conference_member_departed
  {
    title: 'member_departed, customer with \\n and \\r\\n in the name, no external_key',
    event: {
      event: 'support_conference_member_departed',
      version: 1,
      timestamp: 1700000004,
      lsid: '42',
      type: 'customer',
      display_name: 'Line one\nLine two\r\nLine three',
    },
    body: 'event=support_conference_member_departed&version=1&timestamp=1700000004&lsid=42&type=customer&display_name=Line+one%0ALine+two%0D%0ALine+three',
  },
  {
    title: 'member_departed, customer 王小明, with external_key',
    event: {
      event: 'support_conference_member_departed',
      version: 1,
      timestamp: 1700000004,
      lsid: '42',
      external_key: 'INC-7',
      type: 'customer',
      display_name: '王小明',
    },
    body: 'event=support_conference_member_departed&version=1&timestamp=1700000004&lsid=42&external_key=INC-7&type=customer&display_name=%E7%8E%8B%E5%B0%8F%E6%98%8E',
  },
  {
    title: 'member_departed, representative with emoji, punctuation, external_key with & =',
    event: {
      event: 'support_conference_member_departed',
      version: 1,
      timestamp: 1700000004,
      lsid: '42',
      external_key: 'ABC=1&x=2',
      type: 'representative',
      display_name: '王小明 😀',
      user_id: '17',
      username: "o'brien~(x)!*",
    },
    body: 'event=support_conference_member_departed&version=1&timestamp=1700000004&lsid=42&external_key=ABC%3D1%26x%3D2&type=representative&display_name=%E7%8E%8B%E5%B0%8F%E6%98%8E+%F0%9F%98%80&user_id=17&username=o%27brien%7E%28x%29%21*',
  },
  {
    title: 'member_departed, representative, spaces/tab/lone \\r, no external_key',
    event: {
      event: 'support_conference_member_departed',
      version: 1,
      timestamp: 1700000004,
      lsid: '42',
      type: 'representative',
      display_name: '  José\tMüller\r',
      user_id: '3',
      username: 'j m+k',
    },
    body: 'event=support_conference_member_departed&version=1&timestamp=1700000004&lsid=42&type=representative&display_name=++Jos%C3%A9%09M%C3%BCller%0D&user_id=3&username=j+m%2Bk',
  },
  // support_conference_customer_exit_survey_completed
  {
    title: 'customer exit survey, no external_key',
    event: {
      event: 'support_conference_customer_exit_survey_completed',
      version: 1,
      timestamp: 1700000005,
      lsid: '42',
    },
    body: 'event=support_conference_customer_exit_survey_completed&version=1&timestamp=1700000005&lsid=42',
  },
  {
    title: 'customer exit survey, with external_key',
    event: {
      event: 'support_conference_customer_exit_survey_completed',
      version: 1,
      timestamp: 1700000005,
      lsid: '42',
      external_key: 'INC-7',
    },
    body: 'event=support_conference_customer_exit_survey_completed&version=1&timestamp=1700000005&lsid=42&external_key=INC-7',
  },
  // support_conference_representative_exit_survey_completed
  {
    title: 'representative exit survey, no external_key',
    event: {
      event: 'support_conference_representative_exit_survey_completed',
      version: 1,
      timestamp: 1700000006,
      lsid: '42',
    },
    body: 'event=support_conference_representative_exit_survey_completed&version=1&timestamp=1700000006&lsid=42',
  },
  {
    title: 'representative exit survey, with external_key',
    event: {
      event: 'support_conference_representative_exit_survey_completed',
      version: 1,
      timestamp: 1700000006,
      lsid: '42',
      external_key: 'INC-7',
    },
    body: 'event=support_conference_representative_exit_survey_completed&version=1&timestamp=1700000006&lsid=42&external_key=INC-7',
  },
  // Edge values of the standard variables.
  {
    title: 'timestamp 0',
    event: { event: 'support_conference_begin', version: 1, timestamp: 0, lsid: '1' },
    body: 'event=support_conference_begin&version=1&timestamp=0&lsid=1',
  },
  {
    title: 'latest accepted timestamp',
    event: { event: 'support_conference_end', version: 1, timestamp: 253402300799, lsid: '1' },
    body: 'event=support_conference_end&version=1&timestamp=253402300799&lsid=1',
  },
];

/** The contract's variables (§2), written out independently of src/events/fields.ts. */
const CONTRACT_FIELDS: Record<string, { always: string[]; rep?: string[] }> = {
  support_conference_begin: { always: ['event', 'version', 'timestamp', 'lsid'] },
  support_conference_end: { always: ['event', 'version', 'timestamp', 'lsid'] },
  support_conference_owner_changed: {
    always: ['event', 'version', 'timestamp', 'lsid', 'conference_id', 'conference_name'],
  },
  support_conference_member_added: {
    always: ['event', 'version', 'timestamp', 'lsid', 'type', 'display_name'],
    rep: ['user_id', 'username'],
  },
  support_conference_member_departed: {
    always: ['event', 'version', 'timestamp', 'lsid', 'type', 'display_name'],
    rep: ['user_id', 'username'],
  },
  support_conference_customer_exit_survey_completed: {
    always: ['event', 'version', 'timestamp', 'lsid'],
  },
  support_conference_representative_exit_survey_completed: {
    always: ['event', 'version', 'timestamp', 'lsid'],
  },
};

function expectedKeys(event: OutboundEvent): string[] {
  const spec = CONTRACT_FIELDS[event.event];
  if (!spec) throw new Error(`no contract entry for ${event.event}`);
  const keys = [...spec.always];
  if (event.external_key !== undefined) keys.push('external_key');
  if ('type' in event && event.type === 'representative') keys.push(...(spec.rep ?? []));
  return keys.sort();
}

describe('encodeEvent: golden bodies', () => {
  it('covers each of the seven events with and without external_key', () => {
    for (const name of Object.keys(CONTRACT_FIELDS)) {
      const cases = GOLDEN.filter((c) => c.event.event === name);
      expect(cases.some((c) => c.event.external_key === undefined)).toBe(true);
      expect(cases.some((c) => c.event.external_key !== undefined)).toBe(true);
    }
    for (const name of ['support_conference_member_added', 'support_conference_member_departed']) {
      const types = GOLDEN.filter((c) => c.event.event === name).map(
        (c) => (c.event as { type: string }).type,
      );
      expect(new Set(types)).toEqual(new Set(['customer', 'representative']));
    }
  });

  it.each(GOLDEN)('$title', ({ event, body }) => {
    expect(encodeEvent(event)).toBe(body);
  });

  it.each(GOLDEN)('$title: a form parser reads exactly the contract fields', ({ event, body }) => {
    const params = new URLSearchParams(body);
    const keys = [...params.keys()];
    // Nothing twice, nothing more, nothing less.
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(expectedKeys(event));
    const record = event as unknown as Record<string, unknown>;
    for (const [key, value] of params) {
      expect(value).toBe(String(record[key]));
    }
    expect(params.get('version')).toBe('1');
    expect(params.get('lsid')).toBe(event.lsid);
  });

  it.each(GOLDEN)('$title: decodes back to the same event', ({ event, body }) => {
    expect(decodeEvent(body)).toStrictEqual(event);
  });

  it.each(GOLDEN)('$title: the body is plain ASCII form syntax', ({ body }) => {
    expect(body).toMatch(/^[A-Za-z0-9*\-._+%&=]+$/);
    // Every percent escape is two upper-case hex digits.
    expect(body).not.toMatch(/%(?![0-9A-F]{2})/);
  });
});

describe('encodeEvent: shape of the body', () => {
  it('sends fields in the guide order whatever the order of the object keys', () => {
    const event = {
      username: 'amy',
      user_id: '5',
      display_name: 'Amy',
      type: 'representative',
      external_key: 'K',
      lsid: '9',
      timestamp: 10,
      version: 1,
      event: 'support_conference_member_added',
    } as const;
    expect(encodeEvent(event)).toBe(
      'event=support_conference_member_added&version=1&timestamp=10&lsid=9&external_key=K&type=representative&display_name=Amy&user_id=5&username=amy',
    );
  });

  it('leaves out an undefined external_key rather than sending it empty', () => {
    const event: OutboundEvent = {
      event: 'support_conference_begin',
      version: 1,
      timestamp: 5,
      lsid: '42',
      external_key: undefined,
    };
    const body = encodeEvent(event);
    expect(body).toBe('event=support_conference_begin&version=1&timestamp=5&lsid=42');
    expect(new URLSearchParams(body).has('external_key')).toBe(false);
  });

  it('never sends variables the event does not define', () => {
    const event = {
      event: 'support_conference_end',
      version: 1,
      timestamp: 5,
      lsid: '42',
      conference_id: 'rep:1',
      id: 'internal-id',
      secret: 'whsec_x',
    } as unknown as OutboundEvent;
    expect(encodeEvent(event)).toBe('event=support_conference_end&version=1&timestamp=5&lsid=42');
  });

  it('sends the guide name for an event accepted under the rep_exit alias', () => {
    const event = validateEvent({
      event: 'support_conference_rep_exit_survey_completed',
      version: 1,
      timestamp: 7,
      lsid: '42',
    });
    expect(encodeEvent(event)).toBe(
      'event=support_conference_representative_exit_survey_completed&version=1&timestamp=7&lsid=42',
    );
  });

  it('keeps lsid a string on the wire', () => {
    const body = encodeEvent({
      event: 'support_conference_begin',
      version: 1,
      timestamp: 1,
      lsid: '007',
    });
    expect(new URLSearchParams(body).get('lsid')).toBe('007');
    expect(decodeEvent(body).lsid).toBe('007');
  });

  it('names the content type', () => {
    expect(FORM_CONTENT_TYPE).toBe('application/x-www-form-urlencoded');
  });
});
