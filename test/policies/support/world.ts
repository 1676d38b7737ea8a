import type postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import { fixtureStatements, seedFixture, type Fixture } from '../../../src/demo';
import { policyWorldStatements, type GlobalUsers, type OrgExtras, type PolicyWorldIds } from '../../../src/probes';
import { createTestDatabase, type TestDatabase } from '../../support/database';

export { personaLabel, personaUser, type GlobalUsers, type OrgExtras } from '../../../src/probes';

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

export interface PolicyWorld {
  readonly db: TestDatabase;
  readonly fx: Fixture;
  readonly users: GlobalUsers;
  readonly extras: { readonly a: OrgExtras; readonly b: OrgExtras };
}

/**
 * A test database with the policy world (src/probes/world.ts): the demo fixture plus the rows every
 * persona of the access matrix needs. The same statements the exported pgTAP files start with.
 */
/** The world's ids, without a database (they are stable: `stableId`). */
export const policyWorldIds = (): PolicyWorldIds => policyWorldStatements(fixtureStatements().fixture).world;

export async function createPolicyWorld(): Promise<PolicyWorld> {
  const db = await createTestDatabase();
  const fixture = await seedFixture(db.sql);
  const { world, statements } = policyWorldStatements(fixture);
  await db.sql.begin(async (tx) => {
    for (const statement of statements) await tx.unsafe(statement);
  });
  return { db, ...world };
}

/**
 * The policy world of a test file: created before its tests, closed after them. Call it at the top
 * of the file; the getter answers inside tests and hooks.
 */
export function usePolicyWorld(): () => PolicyWorld {
  let world: PolicyWorld | undefined;
  beforeAll(async () => {
    world = await createPolicyWorld();
  });
  afterAll(async () => {
    await world?.db.close();
  });
  return () => {
    if (world === undefined) throw new Error('the policy world exists only inside tests and hooks (usePolicyWorld creates it in beforeAll)');
    return world;
  };
}
