import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getTableConfig, pgTable, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as policies from '../../src/policies';
import {
  ACCESS_MATRIX_PATH,
  accessIssues,
  accessMatrixDocument,
  allAccess,
  missingPolicyExports,
  planPolicies,
  policyObjects,
  PolicyDslError,
  privilegesOf,
  validateAccess,
  type TableAccess,
} from '../../src/policies';
import { allTables, qualifiedName } from '../../src/schema';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * The declarations as a whole: coverage of the schema, what drizzle-kit sees, the generated SQL,
 * the committed access-matrix document, and the grants that make the policies' column rules real.
 */

const root = resolve(__dirname, '../..');
const name = (access: TableAccess) => (access.table.schema === 'public' ? access.table.name : `${access.table.schema}.${access.table.name}`);
const accessOf = (table: string): TableAccess => {
  const access = allAccess.find((a) => name(a) === table);
  if (access === undefined) throw new Error(`no access declaration for ${table}`);
  return access;
};
const authenticated = (table: string) => privilegesOf(accessOf(table)).find((p) => p.role === 'authenticated');

/** The statements of the generated migrations, by file. */
function migrationStatements(): { file: string; sql: string }[] {
  const folder = join(root, 'drizzle');
  return readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .flatMap((file) => readFileSync(join(folder, file), 'utf8').split('--> statement-breakpoint').map((sql) => ({ file, sql: sql.trim() })));
}

/**
 * Calls of auth.uid() (or, with `helpers`, of any auth/app function) not written as `(select …)`:
 * evaluated per row instead of once per statement.
 */
function bareHelperCalls(sql: string, helpers = false): string[] {
  const calls: string[] = [];
  const pattern = helpers ? /(?<![\w."])((?:auth|app)\.[a-z_]+)\s*\(/g : /(?<![\w."])(auth\.uid)\s*\(/g;
  for (const match of sql.matchAll(pattern)) {
    if (!/\(\s*select\s+$/i.test(sql.slice(0, match.index))) calls.push(`${match[1]}()`);
  }
  return calls;
}

/** The body of a `create function … as $function$ … $function$` statement. */
const functionBody = (sql: string): string => /\$function\$([\s\S]*)\$function\$/.exec(sql)?.[1] ?? '';

describe('coverage: every table has a declaration', () => {
  it('declares all 32 tables of the schema, each once, without policies that read each other', () => {
    expect(allTables).toHaveLength(32);
    expect(allAccess).toHaveLength(32);
    expect(accessIssues(allAccess, allTables)).toEqual([]);
    expect(new Set(allAccess.map(name)).size).toBe(32);
    expect(allAccess.map((a) => `${a.table.schema}.${a.table.name}`).sort()).toEqual(allTables.map(qualifiedName).sort());
  });

  it('fails naming a table without a policy (a throwaway table added to the schema)', () => {
    const throwaway = pgTable('throwaway_gadgets', { id: uuid('id').primaryKey() }).enableRLS();
    expect(() => validateAccess(allAccess, [...allTables, throwaway])).toThrow(PolicyDslError);
    expect(() => validateAccess(allAccess, [...allTables, throwaway])).toThrow(/throwaway_gadgets: table without a policy/);
    expect(accessIssues(allAccess, [...allTables, throwaway]).map((i) => [i.code, i.table])).toEqual([['missing_access', 'throwaway_gadgets']]);
  });

  it('exports every compiled policy one by one, so drizzle-kit sees them all', () => {
    expect(missingPolicyExports(policies, allAccess)).toEqual([]);
  });

  it('isolates every tenant table with one restrictive policy on its organisation column', () => {
    const untenanted = allAccess.filter((a) => a.tenant === undefined && a.noClientAccess === undefined).map(name);
    // keyed by user: a profile and a therapist record belong to a person, who may work for several organisations
    expect(untenanted.sort()).toEqual(['profiles', 'therapists']);
    for (const access of allAccess.filter((a) => a.tenant !== undefined)) {
      const restrictive = planPolicies(access).filter((p) => p.as === 'restrictive');
      expect(restrictive.map((p) => [p.name, p.for, p.to]), name(access)).toEqual([[`${access.table.name}_tenant_isolation`, 'all', 'authenticated']]);
    }
    // nullable tenant columns say why their null rows are shared
    expect(allAccess.filter((a) => a.tenant?.nullRows !== undefined).map(name).sort()).toEqual(['billing_codes', 'notifications']);
  });

  it('gives anon nothing anywhere', () => {
    for (const access of allAccess) {
      expect(privilegesOf(access).map((p) => p.role), name(access)).not.toContain('anon');
      expect(planPolicies(access).map((p) => p.to), name(access)).not.toContain('anon');
    }
  });
});

describe('the generated migrations', () => {
  const statements = migrationStatements();
  const createPolicies = statements.filter((s) => s.sql.startsWith('CREATE POLICY'));

  it('create exactly the compiled policies', () => {
    const names = createPolicies.map((s) => /^CREATE POLICY "([^"]+)"/.exec(s.sql)?.[1]).sort();
    expect(names).toEqual(allAccess.flatMap((a) => planPolicies(a).map((p) => p.name)).sort());
    expect(names.length).toBeGreaterThan(100);
  });

  it('contain no auth.uid() or app helper call outside (select …) in any policy', () => {
    const offenders = createPolicies.flatMap((s) => bareHelperCalls(s.sql, true).map((call) => `${s.file}: ${call} in ${s.sql.slice(0, 80)}`));
    expect(offenders).toEqual([]);
    expect(createPolicies.some((s) => s.sql.includes('(select auth.uid())'))).toBe(true);
  });

  it('contain no bare auth.uid() anywhere in drizzle/ (functions and triggers included), comments aside', () => {
    const offenders = statements
      .filter((s) => bareHelperCalls(s.sql).length > 0)
      .filter((s) => !/^comment on /i.test(s.sql))
      .map((s) => `${s.file}: ${s.sql.slice(0, 120)}`);
    expect(offenders).toEqual([]);
  });

  it("write the policies' own functions with (select …) only", () => {
    const own = policyObjects.flatMap((o) => o.create).filter((sql) => /create or replace function/i.test(sql));
    expect(own.length).toBeGreaterThan(10);
    expect(own.flatMap((sql) => bareHelperCalls(functionBody(sql), true))).toEqual([]);
  });
});

describe('the access-matrix document', () => {
  it(`is ${ACCESS_MATRIX_PATH}, regenerated from the declarations without a diff (npm run docs)`, () => {
    const committed = readFileSync(join(root, ACCESS_MATRIX_PATH), 'utf8');
    expect(accessMatrixDocument(allAccess) === committed, `${ACCESS_MATRIX_PATH} is out of date: run npm run docs`).toBe(true);
  });
});

describe('grants: what authenticated may touch at all', () => {
  it('profiles: update of the safe columns only, never is_platform_admin; no insert or delete', () => {
    expect(authenticated('profiles')).toEqual({ role: 'authenticated', operations: ['select', 'update'], updateColumns: ['display_name', 'phone', 'avatar_path', 'locale'] });
  });

  it('organization_members: school and status; never the role (the member accepted it), the user or the organisation of a membership', () => {
    expect(authenticated('organization_members')?.updateColumns).toEqual(['school_id', 'status']);
  });

  it('consents: insert, and of the columns only the revocation', () => {
    expect(authenticated('consents')).toEqual({ role: 'authenticated', operations: ['select', 'insert', 'update'], updateColumns: ['revoked_at', 'revoked_reason'] });
  });

  it('session_notes: never the signature, hash, co-signature time, author, student or session', () => {
    const columns = authenticated('session_notes')?.updateColumns;
    expect(Array.isArray(columns)).toBe(true);
    for (const column of ['signed_at', 'signed_by', 'content_hash', 'cosigned_at', 'author_id', 'student_id', 'session_id', 'organization_id', 'amends_note_id']) {
      expect(columns, column).not.toContain(column);
    }
  });

  it('no table lets authenticated move a row to another organisation or update every column', () => {
    for (const access of allAccess) {
      const columns = authenticated(name(access))?.updateColumns;
      if (columns === undefined) continue;
      expect(columns, `${name(access)} grants update on every column`).not.toBe('all');
      expect(columns, name(access)).not.toContain('organization_id');
      expect(columns, name(access)).not.toContain('id');
    }
  });

  it('soft-deleted tables (deleted_at) are never deleted by authenticated: soft delete only', () => {
    const softDeleted = allTables.filter((t) => getTableConfig(t).columns.some((c) => c.name === 'deleted_at')).map((t) => getTableConfig(t).name);
    expect(softDeleted.sort()).toEqual(['documents', 'guardians', 'messages', 'organizations', 'schools', 'students', 'therapy_sessions']);
    for (const table of softDeleted) expect(authenticated(table)?.operations ?? [], table).not.toContain('delete');
  });

  it('outbox_events: nothing for API users; audit.audit_log: read only', () => {
    expect(privilegesOf(accessOf('outbox_events'))).toEqual([]);
    expect(authenticated('audit.audit_log')).toEqual({ role: 'authenticated', operations: ['select'], updateColumns: undefined });
  });
});

describe('the migrated database holds what the declarations say', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('has row level security on all 32 tables and exactly the compiled policies', async () => {
    const rls = await db.sql<{ table: string }[]>`
      select n.nspname || '.' || c.relname as table from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind = 'r' and n.nspname in ('public', 'audit') and c.relrowsecurity order by 1`;
    expect(rls.map((r) => r.table)).toEqual(allTables.map(qualifiedName).sort());
    const live = await db.sql<{ policyname: string }[]>`select policyname from pg_policies where schemaname in ('public', 'audit') order by 1`;
    expect(live.map((p) => p.policyname)).toEqual(allAccess.flatMap((a) => planPolicies(a).map((p) => p.name)).sort());
  });

  it('grants authenticated exactly the privileges the rules need, and service_role full DML', async () => {
    const mismatches: string[] = [];
    for (const access of allAccess) {
      const table = `${access.table.schema}.${access.table.name}`;
      const expected = privilegesOf(access).find((p) => p.role === 'authenticated');
      for (const op of ['select', 'insert', 'update', 'delete'] as const) {
        const [row] = await db.sql<{ role: boolean; anon: boolean; service: boolean }[]>`
          select has_table_privilege('authenticated', ${table}, ${op}) as role, has_table_privilege('anon', ${table}, ${op}) as anon,
                 has_table_privilege('service_role', ${table}, ${op}) as service`;
        const whole = expected?.operations.includes(op) === true && (op !== 'update' || expected.updateColumns === 'all');
        if (row?.role !== whole) mismatches.push(`${table}: authenticated ${op} is ${String(row?.role)}, expected ${String(whole)}`);
        if (row?.anon !== false) mismatches.push(`${table}: anon has ${op}`);
        if (row?.service !== true) mismatches.push(`${table}: service_role lacks ${op}`);
      }
      const columns = await db.sql<{ column_name: string }[]>`
        select column_name from information_schema.column_privileges
         where grantee = 'authenticated' and table_schema = ${access.table.schema} and table_name = ${access.table.name} and privilege_type = 'UPDATE'
         order by column_name`;
      const updatable = expected?.updateColumns;
      const want = updatable === undefined ? [] : updatable === 'all' ? columns.map((c) => c.column_name) : [...updatable].sort();
      if (JSON.stringify(columns.map((c) => c.column_name)) !== JSON.stringify(want)) {
        mismatches.push(`${table}: updatable columns ${columns.map((c) => c.column_name).join(', ')}, expected ${want.join(', ')}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('lets only authenticated execute the RLS helpers', async () => {
    const helperNames = policies.rlsHelpers.map((h) => /"?app"?\."?([a-z_]+)"?\(/.exec(h.key)?.[1] ?? h.key);
    const functions = await db.sql<{ fn: string; anon: boolean; authenticated: boolean }[]>`
      select p.oid::regprocedure::text as fn, has_function_privilege('anon', p.oid, 'execute') as anon,
             has_function_privilege('authenticated', p.oid, 'execute') as authenticated
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'app' and p.prorettype <> 'trigger'::regtype and p.proname = any (${helperNames}::text[])
       order by 1`;
    expect(functions).toHaveLength(policies.rlsHelpers.length);
    for (const f of functions) expect([f.fn, f.anon, f.authenticated]).toEqual([f.fn, false, true]);
  });
});
