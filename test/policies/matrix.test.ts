import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAccess, PERSONAS } from '../../src/policies';
import { matrixProbes } from '../../src/probes';
import { asPersona, newId, problemWith, runProbe, type Outcome } from './support/probe';
import { createPolicyWorld, personaUser, policyWorldIds, type PolicyWorld } from './support/world';

/**
 * The access matrix, enforced: for every table × persona × operation of `toTestMatrix(allAccess)`
 * (the same data as docs/access-matrix.md), a persona of organisation A either reaches the world's
 * rows (select: at least one row; insert/update/delete: the representative write of
 * src/probes/writes.ts succeeds) or is refused (permission denied / RLS violation) or reaches nothing.
 * The probes are src/probes/plan.ts's, which `therapy-db export pgtap` writes as pgTAP too.
 */

describe('the access matrix on the fixture (organisation A)', () => {
  let world: PolicyWorld;
  // The world's ids are stable (stableId), so the probes exist before the database does.
  const probes = matrixProbes({ access: allAccess, world: policyWorldIds(), newId });
  const outcomes = new Map<string, Outcome>();

  beforeAll(async () => {
    world = await createPolicyWorld();
    for (const persona of PERSONAS) {
      await asPersona(world.db.sql, personaUser(world, persona, 'a'), async (tx) => {
        for (const probe of probes.filter((p) => p.persona === persona)) outcomes.set(probe.id, await runProbe(tx, probe));
      });
    }
  });
  afterAll(async () => {
    await world?.db.close();
  });

  it('covers every table × persona × operation', () => {
    expect(probes).toHaveLength(allAccess.length * PERSONAS.length * 4);
  });

  for (const probe of probes) {
    it(probe.title, () => {
      const outcome = outcomes.get(probe.id);
      expect(outcome, `${probe.id} was not probed`).toBeDefined();
      expect(problemWith(probe, outcome!)).toBeUndefined();
    });
  }
});
