/**
 * The store's search behind Reports → Support sessions, on every backend: the start-time
 * range, the representative and customer substrings, the external key exact or as a prefix,
 * pages newest first by lseq. Filters are applied in SQL to the JSON state.
 */
import { describe, expect, it } from 'vitest';
import type { SessionSearch } from '../../src/store/session-search.js';
import { BACKENDS } from '../store/backends.js';
import { freshStore } from '../store/harness.js';
import { seedSession } from './reports-fixtures.js';

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
const MIN = 60_000;

for (const backend of BACKENDS) {
  describe(`searching sessions (${backend.name})`, () => {
    const fresh = freshStore(backend);

    async function seedFive() {
      const { store } = fresh;
      await seedSession(store, { lsid: 's1', externalKey: 'INC-100', customer: 'Zoë Müller' }, T0);
      await seedSession(
        store,
        {
          lsid: 's2',
          externalKey: 'INC-1001',
          customer: 'Øyvind Berg',
          rep: { display_name: 'Bob Expert', username: 'bob.x', user_id: '31' },
        },
        T0 + 10 * MIN,
      );
      await seedSession(
        store,
        { lsid: 's3', externalKey: 'CASE-7', customer: 'ACME Front Desk' },
        T0 + 20 * MIN,
      );
      await seedSession(
        store,
        {
          lsid: 's4',
          customer: 'zoe martin',
          chat: ['NUL \u0000 and <script>', 'lone \ud800 and \udc00 surrogates'],
          ended: true,
        },
        T0 + 30 * MIN,
      );
      await seedSession(
        store,
        {
          lsid: 's5',
          externalKey: 'inc-100',
          rep: { display_name: '王小明', username: 'wang', user_id: '23' },
        },
        T0 + 40 * MIN,
      );
    }

    const lsids = async (search: Partial<SessionSearch>) =>
      (await fresh.store.searchSessions({ limit: 50, ...search })).map((r) => r.lsid);

    it('finds every session newest first, each as a summary: lseq, times, key, owner, members', async () => {
      await seedFive();
      const all = await fresh.store.searchSessions({ limit: 50 });
      expect(all.map((r) => r.lsid)).toEqual(['s5', 's4', 's3', 's2', 's1']);
      const lseqs = all.map((r) => r.lseq);
      expect(lseqs.every((n) => Number.isInteger(n))).toBe(true);
      expect([...lseqs].sort((a, b) => b - a)).toEqual(lseqs);
      // s4's chat holds a NUL and lone surrogates: the summary is read all the same (PostgreSQL's
      // json refuses both escapes).
      const s4 = all.find((r) => r.lsid === 's4');
      expect(s4).toMatchObject({
        createdAt: T0 + 30 * MIN,
        endedAt: T0 + 30 * MIN,
        ended: true,
        externalKey: null,
        owner: { conference_id: 'rep:12', conference_name: 'Ann Agent' },
      });
      expect(s4?.members.map((m) => m.member.display_name)).toEqual(['zoe martin', 'Ann Agent']);
      expect(s4?.members[0]?.details).toMatchObject({ hostname: 'ZOE-LAPTOP' });
      expect(s4).not.toHaveProperty('details');
      const s1 = all.find((r) => r.lsid === 's1');
      expect(s1).toMatchObject({ ended: false, endedAt: null, externalKey: 'INC-100' });
    });

    it('filters on the start-time range, both ends included', async () => {
      await seedFive();
      expect(await lsids({ from: T0 + 10 * MIN, to: T0 + 30 * MIN })).toEqual(['s4', 's3', 's2']);
      expect(await lsids({ from: T0 + 10 * MIN + 1 })).toEqual(['s5', 's4', 's3']);
      expect(await lsids({ to: T0 })).toEqual(['s1']);
      expect(await lsids({ from: T0 + 41 * MIN })).toEqual([]);
    });

    it('matches a representative by display name or username, a customer by display name', async () => {
      await seedFive();
      expect(await lsids({ representative: 'EXPERT' })).toEqual(['s2']);
      expect(await lsids({ representative: 'bob.' })).toEqual(['s2']);
      expect(await lsids({ representative: 'ann' })).toEqual(['s4', 's3', 's1']);
      expect(await lsids({ representative: '小明' })).toEqual(['s5']);
      // A customer's name only: "ann" is a representative's.
      expect(await lsids({ customer: 'ZOE' })).toEqual(['s4']);
      expect(await lsids({ customer: 'Zoë' })).toEqual(['s5', 's1']);
      expect(await lsids({ customer: 'front desk' })).toEqual(['s3']);
      expect(await lsids({ customer: 'ann' })).toEqual([]);
      // Not a pattern: % and _ are letters.
      expect(await lsids({ customer: '%' })).toEqual([]);
      expect(await lsids({ representative: '_' })).toEqual([]);
    });

    it('matches the external key exactly (case and all) or as a prefix', async () => {
      await seedFive();
      expect(await lsids({ externalKey: 'INC-100' })).toEqual(['s1']);
      expect(await lsids({ externalKey: 'INC-100', externalKeyPrefix: true })).toEqual([
        's2',
        's1',
      ]);
      expect(await lsids({ externalKey: 'INC-%', externalKeyPrefix: true })).toEqual([]);
      expect(await lsids({ externalKey: 'CASE', externalKeyPrefix: true })).toEqual(['s3']);
      expect(await lsids({ externalKey: 'INC' })).toEqual([]);
    });

    it('pages by lseq, combined with the other criteria', async () => {
      await seedFive();
      const first = await fresh.store.searchSessions({ limit: 2 });
      expect(first.map((r) => r.lsid)).toEqual(['s5', 's4']);
      const second = await fresh.store.searchSessions({ limit: 2, beforeLseq: first[1]?.lseq });
      expect(second.map((r) => r.lsid)).toEqual(['s3', 's2']);
      const third = await fresh.store.searchSessions({ limit: 2, beforeLseq: second[1]?.lseq });
      expect(third.map((r) => r.lsid)).toEqual(['s1']);
      expect(
        await lsids({
          representative: 'ann',
          from: T0,
          to: T0 + 25 * MIN,
          externalKey: 'INC',
          externalKeyPrefix: true,
          beforeLseq: second[0]?.lseq,
        }),
      ).toEqual(['s1']);
    });
  });
}
