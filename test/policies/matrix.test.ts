import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAccess, PERSONAS, toTestMatrix, type TestMatrixCase } from '../../src/policies';
import { asPersona, describeOutcome, isNothing, isRefusal, probeSelect, probeWrite, type Outcome } from './support/probe';
import { createPolicyWorld, personaLabel, personaUser, type PolicyWorld } from './support/world';

/**
 * The access matrix, enforced: for every table × persona × operation of `toTestMatrix(allAccess)`
 * (the same data as docs/access-matrix.md), a persona of organisation A either reaches the fixture's
 * rows (select: at least one row; insert/update/delete: the representative write of
 * support/writes.ts succeeds) or is refused (permission denied / RLS violation) or reaches nothing.
 */

const cases = toTestMatrix(allAccess);

/**
 * Allowed reads where the fixture has no row for the persona to see, with the reason. The test
 * fails if one of them starts seeing rows, so the list stays true.
 */
const noFixtureRow: Readonly<Record<string, string>> = {
  'supervision_assignments › therapist › select': "the fixture's therapist neither supervises nor is supervised",
  'session_series › org_admin › select': 'the fixture has no recurring series',
  'session_series › therapist › select': 'the fixture has no recurring series',
  'session_series › supervisor › select': 'the fixture has no recurring series',
  'session_series › school_staff › select': 'the fixture has no recurring series',
  'session_series › guardian › select': 'the fixture has no recurring series',
  'session_series › student › select': 'the fixture has no recurring series',
  'session_series › billing › select': 'the fixture has no recurring series',
  'session_series › member › select': 'the fixture has no recurring series',
  'consents › student › select': "the fixture's student is 14; an adult student's own consents are in hard-cases.test.ts",
};

const verb = (c: TestMatrixCase) => (c.expected === 'allowed' ? 'can' : 'cannot');

describe('the access matrix on the fixture (organisation A)', () => {
  let world: PolicyWorld;
  const outcomes = new Map<string, Outcome>();

  beforeAll(async () => {
    world = await createPolicyWorld();
    const o = world.fx.a;
    for (const persona of PERSONAS) {
      const uid = personaUser(world, persona, 'a');
      const home = uid !== null && persona !== 'self' && persona !== 'platform_admin';
      await asPersona(world.db.sql, uid, async (tx) => {
        for (const c of cases.filter((k) => k.persona === persona)) {
          const outcome =
            c.operation === 'select'
              ? await probeSelect(tx, c.table)
              : await probeWrite(tx, c.table, c.operation, { persona, uid, o, x: world.extras.a, home });
          outcomes.set(c.id, outcome);
        }
      });
    }
  });
  afterAll(async () => {
    await world?.db.close();
  });

  it('covers every table × persona × operation', () => {
    expect(cases).toHaveLength(allAccess.length * PERSONAS.length * 4);
  });

  for (const c of cases) {
    it(`${personaLabel(c.persona)} ${verb(c)} ${c.operation} ${c.table}`, () => {
      const outcome = outcomes.get(c.id);
      expect(outcome, `${c.id} was not probed`).toBeDefined();
      const o = outcome as Outcome;
      const context = `${c.id}: expected ${c.expected}${c.because.length > 0 ? ` (${c.because.join('; ')})` : ''}, got ${describeOutcome(o)}`;
      expect(o.kind, context).not.toBe('seed-error');
      if (c.expected === 'denied') {
        if (c.operation === 'insert') expect(isRefusal(o), context).toBe(true);
        else expect(isNothing(o), context).toBe(true);
        return;
      }
      expect(o.kind, context).toBe('ok');
      const rows = o.kind === 'ok' ? o.rows : 0;
      if (c.operation === 'select' && noFixtureRow[c.id] !== undefined) {
        expect(rows, `${context}; listed as having no fixture row (${noFixtureRow[c.id]}): remove it from the list`).toBe(0);
      } else if (c.operation === 'insert') {
        expect(rows, context).toBe(1);
      } else {
        expect(rows, context).toBeGreaterThan(0);
      }
    });
  }
});
