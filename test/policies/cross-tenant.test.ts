import { getTableConfig } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAccess, OPERATIONS, PERSONAS, type Operation, type Persona } from '../../src/policies';
import { allTables, qualifiedName } from '../../src/schema';
import { asPersona, describeOutcome, isRefusal, probeSelect, probeWrite, type Outcome } from './support/probe';
import { createPolicyWorld, personaLabel, personaUser, type PolicyWorld } from './support/world';

/**
 * The cross-tenant probe: every persona of organisation A (and the users without an organisation)
 * tries to select, insert, update and delete every table's rows of organisation B. Nothing may be
 * read or written: a select counts only B's rows, an insert writes a valid B row (refused: SQLSTATE
 * 42501, before any constraint could hide a gap), an update or delete targets B's rows.
 */

const tables = allAccess.map((access) => (access.table.schema === 'public' ? access.table.name : `${access.table.schema}.${access.table.name}`)).sort();

/** How to recognise organisation B's rows in each table. */
function ofOrgB(table: string, org: string, users: readonly string[]): { sql: string; params: readonly unknown[] } {
  switch (table) {
    case 'organizations':
      return { sql: 'id = $1', params: [org] };
    case 'profiles':
    case 'therapists':
      return { sql: 'id = any ($1::uuid[])', params: [users] };
    case 'notifications':
      return { sql: 'organization_id = $1 or user_id = any ($2::uuid[])', params: [org, users] };
    default: {
      const pg = allTables.find((t) => qualifiedName(t) === (table.includes('.') ? table : `public.${table}`));
      if (pg === undefined || !getTableConfig(pg).columns.some((c) => c.name === 'organization_id')) {
        throw new Error(`cross-tenant probe: no way to tell organisation B's rows of ${table}`);
      }
      return { sql: 'organization_id = $1', params: [org] };
    }
  }
}

const key = (persona: Persona, table: string, operation: Operation) => `${persona} › ${table} › ${operation}`;

describe("the cross-tenant probe: organisation A's personas against organisation B's rows", () => {
  let world: PolicyWorld;
  const outcomes = new Map<string, Outcome>();

  beforeAll(async () => {
    world = await createPolicyWorld();
    const b = world.fx.b;
    const bUsers = [...Object.values(b.users), world.extras.b.member];
    for (const persona of PERSONAS) {
      const uid = personaUser(world, persona, 'a');
      await asPersona(world.db.sql, uid, async (tx) => {
        for (const table of tables) {
          outcomes.set(key(persona, table, 'select'), await probeSelect(tx, table, ofOrgB(table, b.organizationId, bUsers)));
          for (const operation of ['insert', 'update', 'delete'] as const) {
            outcomes.set(key(persona, table, operation), await probeWrite(tx, table, operation, { persona, uid, o: b, x: world.extras.b, home: false, foreign: true }));
          }
        }
      });
    }
  });
  afterAll(async () => {
    await world?.db.close();
  });

  const leaked = (persona: Persona, table: string, operation: Operation): string | undefined => {
    const o = outcomes.get(key(persona, table, operation));
    if (o === undefined) return 'not probed';
    if (o.kind === 'seed-error') return describeOutcome(o);
    if (operation === 'insert') return isRefusal(o) ? undefined : `insert not refused by RLS: ${describeOutcome(o)}`;
    if (o.kind === 'ok' && o.rows > 0) return `${o.rows} row(s) ${operation === 'select' ? 'read' : `${operation}d`}`;
    if (o.kind === 'error' && o.code !== '42501') return describeOutcome(o);
    return undefined;
  };

  it('leaks and writes 0 rows across all tables and personas', () => {
    const offenders: string[] = [];
    let read = 0;
    let written = 0;
    for (const persona of PERSONAS) {
      for (const table of tables) {
        for (const operation of OPERATIONS) {
          const o = outcomes.get(key(persona, table, operation));
          if (o?.kind === 'ok' && o.rows > 0) {
            if (operation === 'select') read += o.rows;
            else written += o.rows;
          }
          const problem = leaked(persona, table, operation);
          if (problem !== undefined) offenders.push(`${personaLabel(persona)} × org B's ${table} × ${operation}: ${problem}`);
        }
      }
    }
    expect({ probes: outcomes.size, read, written, offenders }).toEqual({ probes: PERSONAS.length * tables.length * 4, read: 0, written: 0, offenders: [] });
  });

  for (const persona of PERSONAS) {
    for (const table of tables) {
      for (const operation of OPERATIONS) {
        it(`${personaLabel(persona)} cannot ${operation} org B's ${table}`, () => {
          expect(leaked(persona, table, operation)).toBeUndefined();
        });
      }
    }
  }
});
