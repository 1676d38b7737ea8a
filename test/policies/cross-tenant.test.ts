import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAccess, PERSONAS } from '../../src/policies';
import { crossTenantProbes, crossTenantTopicProbes, CUT_OFF, cutOffProbes, MEMBER_PERSONAS, type CutOff, type Probe } from '../../src/probes';
import { selectSql } from '../../src/rows';
import { asPersona, attempt, describeOutcome, newId, problemWith, runProbe, type Outcome } from './support/probe';
import { createPolicyWorld, personaUser, policyWorldIds, type PolicyWorld } from './support/world';

/**
 * The cross-tenant probe: every persona of organisation A (and the users without an organisation)
 * tries to select, insert, update and delete every table's rows of organisation B, and to join B's
 * realtime topics. Nothing may be read or written: a select counts only B's rows, an insert writes a
 * valid B row (refused: SQLSTATE 42501, before any constraint could hide a gap), an update or delete
 * targets B's rows, a topic shows no row and takes no message. The table probes are
 * src/probes/plan.ts's, which `therapy-db export pgtap` writes as pgTAP too.
 *
 * Then the same probe with former, suspended, left and deactivated identities: every member persona
 * of A, removed from A, suspended there, having left it, or with a deactivated account, against A's
 * own rows and topics.
 */

/** Runs every probe, one rolled-back transaction per persona; the outcomes by probe id. */
async function runAll(world: PolicyWorld, probes: readonly Probe[]): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>();
  for (const persona of PERSONAS) {
    const mine = probes.filter((p) => p.persona === persona);
    if (mine.length === 0) continue;
    await asPersona(world.db.sql, personaUser(world, persona, 'a'), async (tx) => {
      for (const probe of mine) outcomes.set(probe.id, await runProbe(tx, probe));
    });
  }
  return outcomes;
}

const offendersOf = (probes: readonly Probe[], outcomes: ReadonlyMap<string, Outcome>): string[] =>
  probes.flatMap((probe) => {
    const o = outcomes.get(probe.id);
    const problem = o === undefined ? `${probe.id}: not probed` : problemWith(probe, o);
    return problem === undefined ? [] : [problem];
  });

describe("the cross-tenant probe: organisation A's personas against organisation B's rows", () => {
  let world: PolicyWorld;
  const probes = crossTenantProbes({ access: allAccess, world: policyWorldIds(), newId });
  const topicProbes = crossTenantTopicProbes({ world: policyWorldIds() });
  let outcomes = new Map<string, Outcome>();

  beforeAll(async () => {
    world = await createPolicyWorld();
    outcomes = await runAll(world, [...probes, ...topicProbes]);
  });
  afterAll(async () => {
    await world?.db.close();
  });

  it('leaks and writes 0 rows across all tables and personas', () => {
    let read = 0;
    let written = 0;
    for (const probe of probes) {
      const o = outcomes.get(probe.id);
      if (o?.kind === 'ok' && o.rows > 0) {
        if (probe.operation === 'select') read += o.rows;
        else written += o.rows;
      }
    }
    expect({ probes: probes.length, read, written, offenders: offendersOf(probes, outcomes) }).toEqual({
      probes: PERSONAS.length * allAccess.length * 4,
      read: 0,
      written: 0,
      offenders: [],
    });
  });

  it("neither receives nor sends on any of B's realtime topics", () => {
    expect({ probes: topicProbes.length, offenders: offendersOf(topicProbes, outcomes) }).toEqual({ probes: PERSONAS.length * 5 * 2, offenders: [] });
  });

  for (const probe of probes) {
    it(probe.title, () => {
      const o = outcomes.get(probe.id);
      expect(o, `${probe.id} was not probed`).toBeDefined();
      expect(problemWith(probe, o!)).toBeUndefined();
    });
  }
});

describe("former, suspended, left and deactivated identities: organisation A's members, cut off, against A's own rows and topics", () => {
  let world: PolicyWorld;
  const probes = cutOffProbes({ access: allAccess, world: policyWorldIds(), newId });
  let outcomes = new Map<string, Outcome>();
  const controls = new Map<string, Outcome>();

  beforeAll(async () => {
    world = await createPolicyWorld();
    // the control: before being cut off, every member reads their organisation
    for (const persona of MEMBER_PERSONAS) {
      await asPersona(world.db.sql, personaUser(world, persona, 'a'), async (tx) => {
        controls.set(persona, await attempt(tx, async (sp) => (await sp.unsafe(selectSql('organizations', `id = '${world.fx.a.organizationId}'`))).count));
      });
    }
    outcomes = await runAll(world, probes);
  });
  afterAll(async () => {
    await world?.db.close();
  });

  it('is no vacuous probe: every member read their organisation before being cut off', () => {
    expect([...controls].filter(([, o]) => !(o.kind === 'ok' && o.rows === 1)).map(([k, o]) => `${k}: ${describeOutcome(o)}`)).toEqual([]);
    expect(controls.size).toBe(MEMBER_PERSONAS.length);
  });

  for (const identity of Object.keys(CUT_OFF) as CutOff[]) {
    const ofIdentity = probes.filter((p) => p.id.startsWith(`${identity} › `));
    const tableProbes = ofIdentity.filter((p) => p.table !== 'realtime.messages');
    const topicProbes = ofIdentity.filter((p) => p.table === 'realtime.messages');

    it(`a ${identity} member of A, of every role, reads and writes 0 rows of A in every table (their own profile, notifications and memberships aside)`, () => {
      expect({ probes: tableProbes.length, offenders: offendersOf(tableProbes, outcomes) }).toEqual({ probes: MEMBER_PERSONAS.length * allAccess.length * 4, offenders: [] });
    });

    it(`a ${identity} member of A, of every role, neither receives nor sends on A's conversation topics, nor receives others' notifications`, () => {
      const topics = identity === 'deactivated' ? 6 : 5;
      expect({ probes: topicProbes.length, offenders: offendersOf(topicProbes, outcomes) }).toEqual({ probes: MEMBER_PERSONAS.length * topics * 2, offenders: [] });
    });
  }
});
