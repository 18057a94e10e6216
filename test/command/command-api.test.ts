/**
 * The Command API over a real service and a real receiver: who may do what (read_only cannot
 * change, deny cannot read), refusals that change nothing (unknown code name, oversize values,
 * ended or unknown session, unknown action), and changes that emit the events the sessions API
 * would (a set external key rides on the next event; transfer and terminate).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sleep } from '../support/wait.js';
import {
  COMMAND_NS,
  type CommandFixture,
  DECL,
  startCommandFixture,
  xmlError,
  xmlSuccess,
} from './support.js';

let f: CommandFixture;

beforeEach(async () => {
  f = await startCommandFixture();
  const fields = f.svc.service.store.customFields;
  await fields.add({ codeName: 'ticket_url', displayName: 'Ticket URL', createdAt: Date.now() });
  await fields.add({ codeName: 'priority', displayName: 'Priority', createdAt: Date.now() });
});

afterEach(async () => {
  await f?.stop();
});

const REP = { type: 'representative', display_name: 'Ann Rep', user_id: '12', username: 'ann' };
const CUSTOMER = { type: 'customer', display_name: 'Zoë' };

/** A running session with its two start events delivered; returns its lsid. */
async function session(): Promise<string> {
  const before = f.receiver.accepted.length;
  const { lsid } = await f.ok(201, 'POST', '/sessions', {});
  await f.arrived(before + 2);
  return lsid as string;
}

const getSession = (lsid: string) => f.ok(200, 'GET', `/sessions/${lsid}`);

describe('permissions', () => {
  it('read_only cannot set attributes, transfer, terminate or generate keys; nothing changes', async () => {
    const lsid = await session();
    const ro = f.tokens.read_only;
    for (const [action, extra] of [
      ['set_session_attributes', { 'session.custom.external_key': 'INC1' }],
      ['transfer_session', { queue_id: 'team:5' }],
      ['terminate_session', {}],
      ['generate_session_key', { type: 'support', queue_id: 'general' }],
    ] as const) {
      const res = await f.command(ro, { action, lsid, ...extra });
      expect(res.status).toBe(200);
      expect(res.type).toBe('text/xml; charset=UTF-8');
      expect(res.body).toBe(
        xmlError(
          `Permission denied: ${action} needs full access to the command API; the API account "ticketing-read_only" has read-only access.`,
        ),
      );
    }
    const state = await getSession(lsid);
    expect(state.external_key).toBeNull();
    expect(state.ended).toBe(false);
    expect(state.owner.conference_id).toBe('general');
    await f.ok(201, 'POST', `/sessions/${lsid}/members`, CUSTOMER);
    await f.arrived(3);
    expect(f.events()[2]?.get('external_key')).toBeNull();
  });

  it('read_only may read attributes and the API info', async () => {
    const lsid = await session();
    const attrs = await f.command(f.tokens.read_only, { action: 'get_session_attributes', lsid });
    expect(attrs.body).toBe(
      `${DECL}<custom_attributes xmlns="${COMMAND_NS}"></custom_attributes>\n`,
    );
    const info = await f.command(f.tokens.read_only, { action: 'get_api_info' });
    expect(info.body).toMatch(
      new RegExp(
        `^${esc(DECL)}<api_information xmlns="${esc(COMMAND_NS)}"><api_version>1\\.22\\.2</api_version><company_name>Outbound</company_name><timestamp>\\d+</timestamp><permissions>`,
      ),
    );
    expect(info.body).toContain(
      '<permission perm_name="perm_command" value="read_only" value_type="string"/>',
    );
    expect(info.body).toContain(
      '<permission perm_name="perm_reporting_support" value="0" value_type="int"/>',
    );
    const timestamp = Number(/<timestamp>(\d+)</.exec(info.body)?.[1]);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);
  });

  it('deny cannot read anything, not even the API info', async () => {
    const lsid = await session();
    for (const action of ['get_session_attributes', 'get_api_info', 'set_session_attributes']) {
      const res = await f.command(f.tokens.deny, { action, lsid });
      // Refused by the access check, before any action: it names the permission missing.
      expect(res.type).toBe('text/xml; charset=UTF-8');
      expect(res.body).toMatch(
        /^<\?xml[^>]*>\n<error xmlns="http:\/\/www\.bomgar\.com\/namespaces\/API\/command">Permission denied: API account &quot;ticketing-deny&quot; is not allowed to use the Command API/,
      );
    }
  });

  it('full sees its own permissions in get_api_info', async () => {
    const info = await f.command(f.tokens.full, { action: 'get_api_info' });
    expect(info.body).toContain(
      '<permission perm_name="perm_command" value="full" value_type="string"/>',
    );
    expect(info.body).toContain(
      '<permission perm_name="perm_reporting_support" value="1" value_type="int"/>',
    );
  });

  it('no credentials, or a wrong token, reach no action', async () => {
    const lsid = await session();
    const res = await f.command('not-a-token', {
      action: 'set_session_attributes',
      lsid,
      'session.custom.external_key': 'X',
    });
    expect(res.status).toBe(401);
    expect(res.body).toContain('<error');
    expect((await getSession(lsid)).external_key).toBeNull();
  });
});

describe('refusals change nothing', () => {
  it('an unknown code name is refused by name, and the valid values given with it are not applied', async () => {
    const lsid = await session();
    const res = await f.command(f.tokens.full, {
      action: 'set_session_attributes',
      lsid,
      'session.custom.external_key': 'INC1',
      'session.custom.priority': 'high',
      'session.custom.no_such_field': 'x',
    });
    expect(res.body).toMatch(
      /^<\?xml[^>]*>\n<error xmlns="[^"]+">Unknown custom attribute &quot;no_such_field&quot; \(session\.custom\.no_such_field\)/,
    );
    const state = await getSession(lsid);
    expect(state.external_key).toBeNull();
    expect(state.custom_attributes ?? {}).toEqual({});
  });

  it('a value over 1024 characters, or more than 10 KB in all, is refused; 1024 is taken', async () => {
    const lsid = await session();
    const long = await f.command(f.tokens.full, {
      action: 'set_session_attributes',
      lsid,
      'session.custom.external_key': 'k'.repeat(1025),
    });
    expect(long.body).toBe(
      xmlError('session.custom.external_key is 1025 characters long; at most 1024 are allowed.'),
    );
    // 1024 characters of 4-byte UTF-8 each: within the per-value limit, far over 10 KB in all.
    const wide = '😀'.repeat(1024);
    const big = await f.command(
      f.tokens.full,
      {
        action: 'set_session_attributes',
        lsid,
        'session.custom.external_key': wide,
        'session.custom.ticket_url': wide,
        'session.custom.priority': wide,
      },
      { method: 'POST' },
    );
    expect(big.body).toBe(
      xmlError(
        'The custom attributes, external key included, are 12288 bytes; at most 10240 (10 KB) are allowed.',
      ),
    );
    expect((await getSession(lsid)).external_key).toBeNull();
    const fits = await f.command(f.tokens.full, {
      action: 'set_session_attributes',
      lsid,
      'session.custom.external_key': 'k'.repeat(1024),
    });
    expect(fits.body).toBe(xmlSuccess('Session attributes were set'));
  });

  it('the total counts what is already set: a later value that would pass 10 KB is refused', async () => {
    const lsid = await session();
    const wide = '😀'.repeat(1000); // 4000 bytes
    const first = await f.command(
      f.tokens.full,
      {
        action: 'set_session_attributes',
        lsid,
        'session.custom.ticket_url': wide,
        'session.custom.priority': wide,
      },
      { method: 'POST' },
    );
    expect(first.body).toBe(xmlSuccess('Session attributes were set'));
    const more = await f.command(
      f.tokens.full,
      {
        action: 'set_session_attributes',
        lsid,
        'session.custom.external_key': wide,
      },
      { method: 'POST' },
    );
    expect(more.body).toMatch(/<error[^>]*>[^<]*10240[^<]*<\/error>/);
    expect((await getSession(lsid)).external_key).toBeNull();
  });

  it('an ended session, an unknown lsid, a missing lsid, an unknown action: each its own error', async () => {
    const lsid = await session();
    await f.ok(200, 'POST', `/sessions/${lsid}/end`);
    const ended = await f.command(f.tokens.full, {
      action: 'set_session_attributes',
      lsid,
      'session.custom.external_key': 'late',
    });
    expect(ended.body).toBe(xmlError(`There is no active session with lsid "${lsid}".`));
    const read = await f.command(f.tokens.full, { action: 'get_session_attributes', lsid });
    expect(read.body).toBe(xmlError(`There is no active session with lsid "${lsid}".`));
    const unknown = await f.command(f.tokens.full, {
      action: 'terminate_session',
      lsid: 'c69a8e10bea9428f816cfababe9815fe',
    });
    expect(unknown.body).toBe(
      xmlError('There is no active session with lsid "c69a8e10bea9428f816cfababe9815fe".'),
    );
    const missing = await f.command(f.tokens.full, {
      action: 'transfer_session',
      queue_id: 'general',
    });
    expect(missing.body).toBe(xmlError('Missing parameter: lsid.'));
    const noAction = await f.command(f.tokens.full, { lsid });
    expect(noAction.body).toBe(xmlError('Missing parameter: action.'));
    const other = await f.command(f.tokens.full, { action: 'join_session', lsid });
    expect(other.body).toBe(
      xmlError(
        'Unknown action "join_session". Outbound serves: get_api_info, get_session_attributes, set_session_attributes, transfer_session, terminate_session, generate_session_key.',
      ),
    );
    // "__proto__" and friends are names like any other.
    const proto = await f.command(f.tokens.full, { action: '__proto__' });
    expect(proto.body).toContain('Unknown action &quot;__proto__&quot;');
  });

  it('an invalid queue is refused naming it; the owner stays', async () => {
    const lsid = await session();
    const res = await f.command(f.tokens.full, {
      action: 'transfer_session',
      lsid,
      queue_id: 'rep:0',
    });
    expect(res.body).toContain('Invalid queue_id &quot;rep:0&quot;');
    const byName = await f.command(f.tokens.full, {
      action: 'transfer_session',
      lsid,
      queue_id: 'rep_username:nobody',
    });
    expect(byName.body).toBe(
      xmlError(`No representative with username "nobody" has taken part in session ${lsid}.`),
    );
    expect((await getSession(lsid)).owner.conference_id).toBe('general');
  });
});

describe('changes', () => {
  it('a set external key rides on the next event; get lists it with custom values; empty clears', async () => {
    const lsid = await session();
    for (const method of ['GET', 'POST', 'POST-query'] as const) {
      const res = await f.command(
        f.tokens.full,
        {
          action: 'set_session_attributes',
          lsid,
          'session.custom.external_key': `INC-${method}`,
          'session.custom.ticket_url': 'https://tickets.example/INC?a=1&b=<2>',
        },
        { method, path: method === 'POST' ? '/api/command.ns' : '/api/command' },
      );
      expect(res.body).toBe(xmlSuccess('Session attributes were set'));
    }
    await f.ok(201, 'POST', `/sessions/${lsid}/members`, REP);
    await f.arrived(3);
    const [, , added] = f.events();
    expect(added?.get('event')).toBe('support_conference_member_added');
    expect(added?.get('external_key')).toBe('INC-POST-query');

    const attrs = await f.command(f.tokens.full, { action: 'get_session_attributes', lsid });
    expect(attrs.body).toBe(
      `${DECL}<custom_attributes xmlns="${COMMAND_NS}"><custom_attribute display_name="External Key" code_name="external_key">INC-POST-query</custom_attribute><custom_attribute display_name="Ticket URL" code_name="ticket_url">https://tickets.example/INC?a=1&amp;b=&lt;2&gt;</custom_attribute></custom_attributes>\n`,
    );

    // Left out: unchanged. Empty: cleared.
    const cleared = await f.command(f.tokens.full, {
      action: 'set_session_attributes',
      lsid,
      'session.custom.ticket_url': '',
      'session.custom.priority': 'high',
    });
    expect(cleared.body).toBe(xmlSuccess('Session attributes were set'));
    const after = await getSession(lsid);
    expect(after.external_key).toBe('INC-POST-query');
    expect(after.custom_attributes).toEqual({ priority: 'high' });
  });

  it('clearing the external key: later events carry none', async () => {
    const lsid = await session();
    await f.command(f.tokens.full, {
      action: 'set_session_attributes',
      lsid,
      'session.custom.external_key': 'INC9',
    });
    const res = await f.command(f.tokens.full, {
      action: 'set_session_attributes',
      lsid,
      'session.custom.external_key': '',
    });
    expect(res.body).toBe(xmlSuccess('Session attributes were set'));
    await f.ok(201, 'POST', `/sessions/${lsid}/members`, CUSTOMER);
    await f.arrived(3);
    expect(f.events()[2]?.has('external_key')).toBe(false);
    expect((await getSession(lsid)).external_key ?? null).toBeNull();
  });

  it('transfer_session emits owner_changed; terminate_session emits departures and the end', async () => {
    const lsid = await session();
    await f.ok(201, 'POST', `/sessions/${lsid}/members`, REP);
    await f.ok(201, 'POST', `/sessions/${lsid}/members`, CUSTOMER);
    await f.arrived(4);
    const toTeam = await f.command(f.tokens.full, {
      action: 'transfer_session',
      lsid,
      queue_id: 'team:5',
    });
    expect(toTeam.body).toBe(xmlSuccess('Successfully transferred'));
    const toAnn = await f.command(f.tokens.full, {
      action: 'transfer_session',
      lsid,
      queue_id: 'rep_username:ann',
    });
    expect(toAnn.body).toBe(xmlSuccess('Successfully transferred'));
    const end = await f.command(f.tokens.full, { action: 'terminate_session', lsid });
    expect(end.body).toBe(xmlSuccess('Successfully terminated'));
    await f.arrived(9);
    const tail = f
      .events()
      .slice(4)
      .map((e) => [
        e.get('event'),
        e.get('conference_id'),
        e.get('conference_name'),
        e.get('display_name'),
      ]);
    expect(tail).toEqual([
      ['support_conference_owner_changed', 'team:5', 'Team 5', null],
      ['support_conference_owner_changed', 'rep:12', 'Ann Rep', null],
      ['support_conference_member_departed', null, null, 'Ann Rep'],
      ['support_conference_member_departed', null, null, 'Zoë'],
      ['support_conference_end', null, null, null],
    ]);
    const again = await f.command(f.tokens.full, { action: 'terminate_session', lsid });
    expect(again.body).toBe(xmlError(`There is no active session with lsid "${lsid}".`));
    await sleep(100);
    expect(f.receiver.accepted).toHaveLength(9);
  });

  it('every change is audited with the API account as actor', async () => {
    const lsid = await session();
    await f.command(f.tokens.full, {
      action: 'set_session_attributes',
      lsid,
      'session.custom.external_key': 'INC7',
    });
    await f.command(f.tokens.full, { action: 'transfer_session', lsid, queue_id: 'team:2' });
    await f.command(f.tokens.full, { action: 'terminate_session', lsid });
    const entries = (await f.svc.service.store.admin.listAudit(20)).filter(
      (e) => e.target === `session ${lsid}`,
    );
    expect(entries.map((e) => [e.actor, e.action]).reverse()).toEqual([
      ['api-account:ticketing-full', 'session.attributes'],
      ['api-account:ticketing-full', 'session.transfer'],
      ['api-account:ticketing-full', 'session.terminate'],
    ]);
    expect(entries.at(-1)?.after).toEqual({ external_key: 'INC7', custom: {} });
  });
});

const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
