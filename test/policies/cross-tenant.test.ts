import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAccess, PERSONAS } from '../../src/policies';
import { crossTenantProbes } from '../../src/probes';
import { asPersona, newId, problemWith, runProbe, type Outcome } from './support/probe';
import { createPolicyWorld, personaUser, policyWorldIds, type PolicyWorld } from './support/world';

/**
 * The cross-tenant probe: every persona of organisation A (and the users without an organisation)
 * tries to select, insert, update and delete every table's rows of organisation B. Nothing may be
 * read or written: a select counts only B's rows, an insert writes a valid B row (refused: SQLSTATE
 * 42501, before any constraint could hide a gap), an update or delete targets B's rows. The probes
 * are src/probes/plan.ts's, which `therapy-db export pgtap` writes as pgTAP too.
 */

describe("the cross-tenant probe: organisation A's personas against organisation B's rows", () => {
  let world: PolicyWorld;
  const probes = crossTenantProbes({ access: allAccess, world: policyWorldIds(), newId });
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

  it('leaks and writes 0 rows across all tables and personas', () => {
    let read = 0;
    let written = 0;
    const offenders: string[] = [];
    for (const probe of probes) {
      const o = outcomes.get(probe.id);
      if (o?.kind === 'ok' && o.rows > 0) {
        if (probe.operation === 'select') read += o.rows;
        else written += o.rows;
      }
      const problem = o === undefined ? `${probe.id}: not probed` : problemWith(probe, o);
      if (problem !== undefined) offenders.push(problem);
    }
    expect({ probes: outcomes.size, read, written, offenders }).toEqual({ probes: PERSONAS.length * allAccess.length * 4, read: 0, written: 0, offenders: [] });
  });

  for (const probe of probes) {
    it(probe.title, () => {
      const o = outcomes.get(probe.id);
      expect(o, `${probe.id} was not probed`).toBeDefined();
      expect(problemWith(probe, o!)).toBeUndefined();
    });
  }
});
