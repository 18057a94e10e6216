import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../store/backends.js';
import { freshStore } from '../store/harness.js';
import { ENDED_LSID, endedState, putSession, RUNNING_LSID, runningState, T0 } from './fixtures.js';
import { schemaErrors } from './php.js';
import { render } from './render.js';

const golden = (name: string) => new URL(`./golden/${name}.xml`, import.meta.url);

/** Compares with the golden file; UPDATE_GOLDEN=1 writes it instead. */
function expectGolden(name: string, xml: string): void {
  const file = golden(name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    if (process.env.CI) throw new Error(`golden file ${name}.xml is missing`);
    writeFileSync(file, xml);
  }
  expect(xml).toBe(readFileSync(file, 'utf8'));
}

const t0 = T0 / 1000;
/** The clock when reports are read: the running session began 1,000 s after t0. */
const NOW = T0 + 2_000_000;

for (const backend of BACKENDS) {
  describe(`${backend.name}: reports`, () => {
    const t = freshStore(backend);

    async function twoSessions() {
      // ticket_queue has no definition (removed since): its code name stands for its name.
      await t.store.customFields.add({
        codeName: 'priority',
        displayName: 'Priority',
        createdAt: T0,
      });
      await putSession(t.store, endedState(), T0, T0 + 902_000);
      await putSession(t.store, runningState(), T0 + 1_000_000);
    }

    const kinds = [
      ['SupportSession', 'support-session'],
      ['SupportSessionListing', 'support-session-listing'],
      ['SupportCustExitSurvey', 'support-cust-exit-survey'],
      ['SupportRepExitSurvey', 'support-rep-exit-survey'],
    ] as const;
    for (const [report, file] of kinds) {
      it(`${report}: the golden document, valid against reporting.xsd`, async () => {
        await twoSessions();
        const xml = await render(
          t.store,
          { generate_report: report, start_time: String(t0), duration: '0' },
          NOW,
        );
        expectGolden(file, xml);
        expect(await schemaErrors(xml)).toEqual([]);
      });
    }

    it('start_* includes running sessions, end_* only ended ones', async () => {
      await twoSessions();
      const started = await render(
        t.store,
        { generate_report: 'SupportSessionListing', start_date: '2024-12-03', duration: '1' },
        NOW,
      );
      expect(lsidsOf(started)).toEqual([ENDED_LSID, RUNNING_LSID]);
      const ended = await render(
        t.store,
        { generate_report: 'SupportSessionListing', end_time: String(t0), duration: '0' },
        NOW,
      );
      expect(lsidsOf(ended)).toEqual([ENDED_LSID]);
    });

    it('a window includes its start and excludes its end', async () => {
      await twoSessions();
      const at = (start: number, duration: number) =>
        render(
          t.store,
          {
            generate_report: 'SupportSessionListing',
            start_time: String(start),
            duration: String(duration),
          },
          NOW,
        ).then(lsidsOf);
      expect(await at(t0, 1000)).toEqual([ENDED_LSID]);
      expect(await at(t0, 1001)).toEqual([ENDED_LSID, RUNNING_LSID]);
      expect(await at(t0 + 1, 0)).toEqual([RUNNING_LSID]);
      expect(await at(t0 + 1001, 0)).toEqual([]);
      const ending = (start: number, duration: number) =>
        render(
          t.store,
          {
            generate_report: 'SupportSessionListing',
            end_time: String(start),
            duration: String(duration),
          },
          NOW,
        ).then(lsidsOf);
      expect(await ending(t0 + 902, 1)).toEqual([ENDED_LSID]);
      expect(await ending(t0 + 901, 1)).toEqual([]);
      expect(await ending(t0 + 903, 0)).toEqual([]);
    });

    it("exit-survey reports: report_type=rep|team with an id keeps that one's sessions", async () => {
      await twoSessions();
      const surveys = (extra: Record<string, string>) =>
        render(
          t.store,
          {
            generate_report: 'SupportCustExitSurvey',
            start_time: String(t0),
            duration: '0',
            ...extra,
          },
          NOW,
        ).then((xml) => [...xml.matchAll(/<exit_survey lsid="([0-9a-f]{32})"/g)].map((m) => m[1]));
      expect(await surveys({ report_type: 'rep', id: '12' })).toEqual([ENDED_LSID]);
      expect(await surveys({ report_type: 'rep', id: '99' })).toEqual([]);
      expect(await surveys({ report_type: 'team', id: '5' })).toEqual([]);
      expect(await surveys({ report_type: 'rep' })).toEqual([ENDED_LSID]);
    });

    it('lsid and lsids pick sessions; none matching is an empty list', async () => {
      await twoSessions();
      const one = await render(
        t.store,
        { generate_report: 'SupportSession', lsid: ENDED_LSID.toUpperCase() },
        NOW,
      );
      expect(lsidsOf(one)).toEqual([ENDED_LSID]);
      const both = await render(
        t.store,
        {
          generate_report: 'SupportSession',
          lsids: `${RUNNING_LSID}, ${ENDED_LSID},${'f'.repeat(32)}`,
        },
        NOW,
      );
      expect(lsidsOf(both)).toEqual([ENDED_LSID, RUNNING_LSID]);
      const none = await render(
        t.store,
        { generate_report: 'SupportSession', lsid: 'f'.repeat(32) },
        NOW,
      );
      expect(none).toBe(
        '<?xml version="1.0" encoding="UTF-8"?>\n<session_list xmlns="http://www.bomgar.com/namespaces/API/reporting">\n</session_list>\n',
      );
      expect(await schemaErrors(none)).toEqual([]);
    });

    it('pages through more sessions than one page holds, in lseq order, each once', async () => {
      const lsids: string[] = [];
      for (let i = 0; i < 1_100; i++) {
        const lsid = i.toString(16).padStart(32, '0');
        lsids.push(lsid);
        await putSession(t.store, { ...runningState(), lsid }, T0 + i * 1000);
      }
      const window = await render(
        t.store,
        { generate_report: 'SupportSessionListing', start_time: String(t0), duration: '0' },
        NOW,
      );
      expect(lsidsOf(window)).toEqual(lsids);
      const some = lsids.filter((_, i) => i % 2 === 0).slice(0, 1000);
      const listed = await render(
        t.store,
        { generate_report: 'SupportSessionListing', lsids: [...some].reverse().join(',') },
        NOW,
      );
      expect(lsidsOf(listed)).toEqual(some);
    });
  });
}

function lsidsOf(xml: string): string[] {
  return [...xml.matchAll(/<session(?:_summary)? lsid="([0-9a-f]{32})"/g)].map(
    (m) => m[1] as string,
  );
}
