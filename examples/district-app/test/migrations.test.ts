/**
 * The app's migrations layered on the package's: they create the app's two tables and nothing of
 * the package's, drizzle-kit sees every policy, and `therapy-db check` passes over both layers —
 * drift of the app's source included, on the server DATABASE_URL names or on PGlite.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { renderText, runChecks } from 'therapy-db';
import { missingPolicyExports } from 'therapy-db/policies';
import * as packageSchema from 'therapy-db/schema';
import { describe, expect, it } from 'vitest';
import * as policies from '../src/policies.js';
import * as schema from '../src/schema.js';
import { layers } from './support.js';

const appFolder = layers[1]!;
const created = readdirSync(appFolder)
  .filter((file) => file.endsWith('.sql'))
  .flatMap((file) => [...readFileSync(join(appFolder, file), 'utf8').matchAll(/create table (?:if not exists )?(?:"?public"?\.)?"?(\w+)"?/gi)].map((m) => m[1]!));

describe("the app's migrations", () => {
  it("create the app's two tables and not one of the package's", () => {
    const packageTables = new Set(Object.values(packageSchema).filter((v) => is(v, PgTable)).map((t) => getTableName(t as PgTable)));
    expect(packageTables.size).toBeGreaterThan(30);
    expect(created.sort()).toEqual(['app_settings', 'homework_assignments']);
    expect(created.filter((table) => packageTables.has(table))).toEqual([]);
  });

  it('export every policy the access declarations compile to, so drizzle-kit sees them', () => {
    expect(missingPolicyExports(policies, policies.appAccess)).toEqual([]);
  });

  it('pass therapy-db check over both layers, drift of the app source included', async () => {
    const report = await runChecks({
      migrationsFolder: layers,
      drift: { imports: { ...schema, ...policies }, objects: policies.appObjects },
      ...(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : {}),
    });
    const status = Object.fromEntries(report.results.map((r) => [r.id, r.status]));
    expect(status, renderText(report)).toMatchObject({
      drift: 'passed',
      integrity: 'passed',
      replay: 'passed',
      'rls-enabled': 'passed',
      'grants-have-policies': 'passed',
      'foreign-keys-indexed': 'passed',
      safety: 'passed',
    });
    expect(report.ok, renderText(report)).toBe(true);
  }, 300_000);
});
