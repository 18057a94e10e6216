/**
 * Hand-made sessions for the reporting tests, written straight into a real store with
 * changeSession (the rules that fill these fields are tested in test/sessions).
 */
import type { SessionState } from '../../src/sessions/index.js';
import type { Store } from '../../src/store/store.js';

export const ENDED_LSID = 'c69a8e10bea9428f816cfababe9815fe';
export const RUNNING_LSID = '0123456789abcdef0123456789abcdef';

/** 2024-12-03T15:26:05Z, in ms. */
export const T0 = 1_733_239_565_000;
const t0 = T0 / 1000;

/** A session with everything the report shows, ended 902 s after it began. */
export function endedState(): SessionState {
  return {
    lsid: ENDED_LSID,
    externalKey: 'INC0012345',
    owner: { conference_id: 'rep:7', conference_name: 'Bob Smith' },
    members: [
      {
        id: 1,
        member: {
          type: 'representative',
          display_name: 'Bob Smith',
          user_id: '7',
          username: 'bob',
        },
        present: false,
        joinedAt: t0,
        leftAt: t0 + 900,
        details: {
          public_display_name: 'Bob',
          public_ip: '198.51.100.7:443',
          private_ip: '10.0.0.7',
          hostname: 'REP-PC',
          os: 'Windows 11',
        },
      },
      {
        id: 2,
        member: { type: 'customer', display_name: 'Jane <Doe> & "Co"' },
        present: false,
        joinedAt: t0 + 30,
        leftAt: t0 + 902,
        details: {
          username: 'jane',
          public_ip: '[2001:db8::1]:5555',
          private_ip: '10.0.0.5',
          hostname: 'PC1',
          os: 'Windows 10',
          info: {
            name: 'Jane Doe',
            company: 'ACME',
            issue: 'Printer',
            details: 'line 1\r\nline 2',
          },
        },
      },
      {
        id: 3,
        member: { type: 'representative', display_name: 'Ann', user_id: '12', username: 'ann' },
        present: false,
        joinedAt: t0 + 100,
        leftAt: t0 + 400,
      },
    ],
    ended: true,
    surveys: { customer: true, representative: false },
    surveyAnswers: {
      customer: [
        { name: 'rating', value: '5' },
        { name: 'comments', value: 'Quick & kind' },
      ],
      representative: [],
    },
    customAttributes: { ticket_queue: 'EMEA', priority: 'high' },
    fileCounts: { transfers: 2, moves: 0, deletes: 0 },
    details: [
      { timestamp: t0, type: 'Session Start' },
      {
        timestamp: t0,
        type: 'Conference Owner Changed',
        destination: { type: 'system', gsnumber: 0, name: 'Bob Smith' },
        data: [{ name: 'owner', value: 'rep:7' }],
      },
      {
        timestamp: t0,
        type: 'Conference Member Added',
        performedBy: { type: 'representative', gsnumber: 1, name: 'Bob Smith' },
      },
      {
        timestamp: t0 + 30,
        type: 'Conference Member Added',
        performedBy: { type: 'customer', gsnumber: 2, name: 'Jane <Doe> & "Co"' },
      },
      {
        timestamp: t0 + 40,
        type: 'Chat Message',
        performedBy: { type: 'representative', gsnumber: 1, name: 'Bob Smith' },
        destination: { type: 'customer', gsnumber: 2, name: 'Jane <Doe> & "Co"' },
        body: 'Hi <Jane>, try "Ctrl & Alt"]]>',
      },
      {
        timestamp: t0 + 50,
        type: 'Chat Message',
        performedBy: { type: 'customer', gsnumber: 2, name: 'Jane <Doe> & "Co"' },
        body: 'pasted \u0001\u0002 bytes \uD800',
      },
      {
        timestamp: t0 + 60,
        type: 'Session Note Added',
        performedBy: { type: 'representative', gsnumber: 1, name: 'Bob Smith' },
        body: 'Driver reinstalled.\nCustomer happy. 😀',
      },
      {
        timestamp: t0 + 70,
        type: 'File Upload',
        performedBy: { type: 'representative', gsnumber: 1, name: 'Bob Smith' },
        files: [{ filename: 'driver.zip', filesize: 1048576 }],
      },
      {
        timestamp: t0 + 80,
        type: 'File Download',
        performedBy: { type: 'representative', gsnumber: 1, name: 'Bob Smith' },
        files: [{ filename: 'log.txt', filesize: 2048 }],
      },
      {
        timestamp: t0 + 90,
        type: 'External Key Changed',
        data: [{ name: 'external_key', value: 'INC0012345' }],
      },
      {
        timestamp: t0 + 95,
        type: 'Custom Attribute Changed',
        data: [
          { name: 'ticket_queue', value: 'EMEA' },
          { name: 'priority', value: 'high' },
        ],
      },
      {
        timestamp: t0 + 100,
        type: 'Conference Member Added',
        performedBy: { type: 'representative', gsnumber: 3, name: 'Ann' },
      },
      {
        timestamp: t0 + 400,
        type: 'Conference Member Departed',
        performedBy: { type: 'representative', gsnumber: 3, name: 'Ann' },
      },
      {
        timestamp: t0 + 900,
        type: 'Conference Member Departed',
        performedBy: { type: 'representative', gsnumber: 1, name: 'Bob Smith' },
      },
      {
        timestamp: t0 + 902,
        type: 'Conference Member Departed',
        performedBy: { type: 'customer', gsnumber: 2, name: 'Jane <Doe> & "Co"' },
      },
      { timestamp: t0 + 902, type: 'Session End' },
      {
        timestamp: t0 + 910,
        type: 'Customer Exit Survey',
        performedBy: { type: 'customer', gsnumber: 2, name: 'Jane <Doe> & "Co"' },
        data: [
          { name: 'rating', value: '5' },
          { name: 'comments', value: 'Quick & kind' },
        ],
      },
    ],
  };
}

/** A session just begun: nobody has joined yet. */
export function runningState(): SessionState {
  return {
    lsid: RUNNING_LSID,
    externalKey: null,
    owner: { conference_id: 'general', conference_name: 'General' },
    members: [],
    ended: false,
    surveys: { customer: false, representative: false },
    surveyAnswers: { customer: [], representative: [] },
    customAttributes: {},
    fileCounts: { transfers: 0, moves: 0, deletes: 0 },
    details: [{ timestamp: t0 + 1000, type: 'Session Start' }],
  };
}

/** Stores `state` as a session created at `createdAt` and, if it has ended, ended at `endedAt`. */
export async function putSession(
  store: Store,
  state: SessionState,
  createdAt: number,
  endedAt?: number,
): Promise<void> {
  const begun = { ...state, ended: false };
  await store.changeSession(
    state.lsid,
    () => ({ state: begun, events: [], result: undefined }),
    createdAt,
  );
  if (state.ended) {
    await store.changeSession(
      state.lsid,
      () => ({ state, events: [], result: undefined }),
      endedAt ?? createdAt,
    );
  }
}
