import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectDrift } from '../src/check';
import type { DbFunction, DdlObject } from '../src/ddl';
import { databaseObjects } from '../src/objects';
import * as policies from '../src/policies';
import * as schema from '../src/schema';

const migrationsFolder = resolve(__dirname, '../drizzle');
/** What `npm run db:generate` reads: every export of the schema and the policies. */
const imports = { ...schema, ...policies } as Record<string, unknown>;

describe('migrations are in step with the source', () => {
  it('`npm run db:generate` on a clean checkout produces no new migration and no changed file', async () => {
    const drift = await detectDrift({ migrationsFolder, imports, objects: databaseObjects });
    expect(drift.drizzleStatements).toEqual([]);
    expect(drift.objectChanges).toEqual([]);
  });

  it('a changed function body is drift: the function is to be replaced', async () => {
    const touch = databaseObjects.find((o): o is DbFunction => o.kind === 'function' && o.key === 'function app.touch_updated_at()');
    expect(touch).toBeDefined();
    const changed: DdlObject = {
      ...touch!,
      create: touch!.create.map((statement, i) => (i === 0 ? statement.replace('pg_catalog.now()', 'pg_catalog.clock_timestamp()') : statement)),
    };
    expect(changed.create[0]).not.toBe(touch!.create[0]);
    const drift = await detectDrift({ migrationsFolder, imports, objects: databaseObjects.map((o) => (o === touch ? changed : o)) });
    expect(drift.objectChanges).toEqual([{ action: 'replace', key: 'function app.touch_updated_at()' }]);
    expect(drift.drizzleStatements).toEqual([]);
  });

  it('a removed trigger and a new exclusion constraint are drift too', async () => {
    const trigger = databaseObjects.find((o) => o.key === 'trigger therapy_sessions_status_transition on public.therapy_sessions');
    expect(trigger).toBeDefined();
    const added: DdlObject = {
      kind: 'constraint',
      key: 'constraint probe_excl on public.calendar_blackouts',
      phase: 'post',
      create: ['alter table public.calendar_blackouts add constraint probe_excl exclude using gist (organization_id with =, during with &&)'],
      drop: ['alter table public.calendar_blackouts drop constraint if exists probe_excl'],
      onChange: 'recreate',
    };
    const drift = await detectDrift({ migrationsFolder, imports, objects: [...databaseObjects.filter((o) => o !== trigger), added] });
    expect(drift.objectChanges).toEqual(
      expect.arrayContaining([
        { action: 'drop', key: trigger!.key },
        { action: 'create', key: added.key },
      ]),
    );
    expect(drift.objectChanges).toHaveLength(2);
  });

  it('a table missing from the source is drift drizzle-kit reports', async () => {
    const { notifications: _dropped, notificationsRelations: _relations, ...rest } = imports as Record<string, unknown> & { notifications: unknown; notificationsRelations: unknown };
    const drift = await detectDrift({ migrationsFolder, imports: rest, objects: databaseObjects });
    expect(drift.drizzleStatements.join('\n')).toMatch(/DROP TABLE "notifications"/i);
  });
});
