import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armsWithoutRole, catalogueChecks, runCatalogueChecks, unwrappedAuthCalls, predicateOnlyExcludesNulls } from '../../src/check/catalogue';
import { DEFAULT_API_ROLES, DEFAULT_EXPOSED_SCHEMAS, DEFAULT_PLATFORM_SCHEMAS } from '../../src/check/catalogue/context';
import { noLocator } from '../../src/check/locate';
import { runCheck, type CheckId, type CheckResult } from '../../src/check/model';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

async function check(id: CheckId): Promise<CheckResult> {
  const found = catalogueChecks.find((c) => c.id === id)!;
  return runCheck(found, {
    sql: db.sql,
    exposedSchemas: DEFAULT_EXPOSED_SCHEMAS,
    apiRoles: DEFAULT_API_ROLES,
    platformSchemas: DEFAULT_PLATFORM_SCHEMAS,
    locate: noLocator,
  });
}

const objects = (result: CheckResult, prefix = '') => result.findings.map((f) => f.object).filter((o) => o?.startsWith(prefix));

describe('unwrappedAuthCalls (policy expressions as Postgres prints them)', () => {
  it('accepts the wrapped forms and flags the rest', () => {
    expect(unwrappedAuthCalls('(owner_id = ( SELECT auth.uid() AS uid))')).toEqual([]);
    expect(unwrappedAuthCalls("(( SELECT (auth.jwt() ->> 'role'::text)) = 'admin'::text)")).toEqual([]);
    expect(unwrappedAuthCalls('(organization_id = ANY (app.org_ids(NULL::text[])))')).toEqual([]);
    expect(unwrappedAuthCalls('(owner_id = auth.uid())')).toEqual(['auth.uid()']);
    expect(unwrappedAuthCalls("((auth.jwt() ->> 'role'::text) = 'admin'::text)")).toEqual(['auth.jwt()']);
    // Inside a sub-select that scans a table it still runs per row.
    expect(unwrappedAuthCalls('(EXISTS ( SELECT 1 FROM members m WHERE (m.user_id = auth.uid())))')).toEqual(['auth.uid()']);
    expect(unwrappedAuthCalls('(EXISTS ( SELECT 1 FROM members m WHERE (m.user_id = ( SELECT auth.uid() AS uid))))')).toEqual([]);
    // Not fooled by a string literal.
    expect(unwrappedAuthCalls("(note <> 'auth.uid()'::text)")).toEqual([]);
  });

  it('accepts a partial index on a foreign key only when it excludes NULL keys alone', () => {
    expect(predicateOnlyExcludesNulls('(invited_by IS NOT NULL)', ['invited_by'])).toBe(true);
    expect(predicateOnlyExcludesNulls('((a IS NOT NULL) AND (b IS NOT NULL))', ['a', 'b'])).toBe(true);
    expect(predicateOnlyExcludesNulls('(deleted_at IS NULL)', ['a'])).toBe(false);
    expect(predicateOnlyExcludesNulls('(other IS NOT NULL)', ['a'])).toBe(false);
  });
});

describe('armsWithoutRole (policy expressions as Postgres prints them)', () => {
  const app = ['app'];
  it('splits the top-level OR into arms and names those that call no membership helper', () => {
    const printed =
      "((owner_id = ( SELECT auth.uid() AS uid)) OR (organization_id = ANY (( SELECT app.org_ids('{org_admin}'::text[]) AS org_ids))))";
    expect(armsWithoutRole(printed, app)).toEqual(['owner_id = ( SELECT auth.uid() AS uid)']);
    expect(armsWithoutRole('(organization_id = ANY (( SELECT app.org_ids() AS org_ids)))', app)).toEqual([]);
  });

  it('accepts an arm whose role is one conjunct, or inside an EXISTS; refuses one whose helper is negated', () => {
    expect(
      armsWithoutRole('((author_id = ( SELECT auth.uid() AS uid)) AND (organization_id = ANY (( SELECT app.org_ids(\'{therapist}\'::text[]) AS org_ids))))', app),
    ).toEqual([]);
    expect(armsWithoutRole('(EXISTS ( SELECT 1 FROM service_plans p WHERE ((p.id = service_plan_id) AND (p.student_id = ANY (( SELECT app.caseload_student_ids() AS x))))))', app)).toEqual([]);
    const negated = '((author_id = ( SELECT auth.uid() AS uid)) AND (NOT (ARRAY[student_id] && ( SELECT app.soft_deleted_ids() AS x))))';
    expect(armsWithoutRole(negated, app)).toEqual([negated.slice(1, -1)]);
    // an OR nested inside an AND is one arm
    expect(armsWithoutRole('(((a = 1) OR (b = 2)) AND ( SELECT app.is_active_user() AS x))', app)).toEqual([]);
    // a function of another schema is no membership helper
    expect(armsWithoutRole('(owner_id = public.current_owner())', app)).toEqual(['owner_id = public.current_owner()']);
  });
});

describe('catalogue checks', () => {
  it('pass on the migrated schema (a full index next to a partial unique one is no duplicate)', async () => {
    const results = await runCatalogueChecks(db.sql);
    const failed = results.filter((r) => r.status !== 'passed').map((r) => `${r.id}: ${r.findings.map((f) => f.message).join('; ')}`);
    expect(failed).toEqual([]);
    expect(results.map((r) => r.id)).toEqual(catalogueChecks.map((c) => c.id));
  });

  it('rls-enabled: a table in an exposed schema without RLS', async () => {
    await db.sql.unsafe('create table public.check_no_rls (id int primary key)');
    const result = await check('rls-enabled');
    expect(result.status).toBe('failed');
    expect(objects(result)).toEqual(['public.check_no_rls']);
    expect(result.findings[0]!.message).toContain('without row level security');
    expect(result.findings[0]!.fix).toContain('alter table public.check_no_rls enable row level security');
    await db.sql.unsafe('alter table public.check_no_rls enable row level security');
    expect((await check('rls-enabled')).status).toBe('passed');
  });

  it('grants-have-policies: a granted operation without a permissive policy for it', async () => {
    await db.sql.unsafe(`
      create table public.check_granted (id int primary key, owner uuid);
      alter table public.check_granted enable row level security;
      revoke all on public.check_granted from anon, authenticated;
      grant select, update (owner) on public.check_granted to authenticated;
      create policy check_restrictive on public.check_granted as restrictive for all to authenticated using (true);
      create policy check_insert on public.check_granted for insert to authenticated with check (true);`);
    const result = await check('grants-have-policies');
    // Tables created above keep Supabase's default grants (the shim's): they fail too.
    expect(objects(result, 'public.check_granted')).toEqual(['public.check_granted (authenticated: SELECT, UPDATE)']);
    expect(result.findings.find((f) => f.object?.startsWith('public.check_granted'))!.message).toBe(
      'authenticated is granted SELECT, UPDATE on public.check_granted but no permissive policy for those commands (or ALL) applies to authenticated',
    );
    await db.sql.unsafe(`
      create policy check_select on public.check_granted for select to public using (true);
      create policy check_all on public.check_granted for all to anon, authenticated using (true);`);
    expect(objects(await check('grants-have-policies'), 'public.check_granted')).toEqual([]);
  });

  it('auth-calls-wrapped: a policy calling auth.uid() unwrapped', async () => {
    await db.sql.unsafe(`
      create table public.check_auth (id int primary key, owner uuid);
      alter table public.check_auth enable row level security;
      create policy check_auth_bad on public.check_auth for update to authenticated
        using (owner = (select auth.uid())) with check (owner = auth.uid());
      create policy check_auth_good on public.check_auth for select to authenticated using (owner = (select auth.uid()));`);
    const result = await check('auth-calls-wrapped');
    expect(result.status).toBe('failed');
    expect(objects(result)).toEqual(['public.check_auth policy check_auth_bad']);
    expect(result.findings[0]!.message).toContain('calls auth.uid() unwrapped in its WITH CHECK expression');
  });

  it('arms-have-roles: an arm that decides on auth.uid() alone (an author of any role, status or organisation)', async () => {
    await db.sql.unsafe(`
      create table public.check_arms (id int primary key, organization_id uuid, author_id uuid);
      alter table public.check_arms enable row level security;
      create policy check_arms_select on public.check_arms for select to authenticated
        using (author_id = (select auth.uid()) or organization_id = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));
      create policy check_arms_anon on public.check_arms for select to anon using (true);
      create policy check_arms_tenant on public.check_arms as restrictive for all to authenticated using (author_id is not null);`);
    const result = await check('arms-have-roles');
    expect(result.status).toBe('failed');
    expect(objects(result, 'public.check_arms')).toEqual(['public.check_arms policy check_arms_select']);
    expect(result.findings.find((f) => f.object === 'public.check_arms policy check_arms_select')!.message).toMatch(
      /^policy "check_arms_select" on public\.check_arms: an arm of its USING expression calls no membership helper \(app\.\*\).*author_id = \( SELECT auth\.uid\(\) AS uid\)/,
    );
    await db.sql.unsafe(`
      drop policy check_arms_select on public.check_arms;
      create policy check_arms_select on public.check_arms for select to authenticated
        using ((author_id = (select auth.uid()) and organization_id = any ((select app.org_ids('{therapist}'::text[]))::uuid[]))
               or organization_id = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));`);
    expect(objects(await check('arms-have-roles'), 'public.check_arms')).toEqual([]);
  });

  it('foreign-keys-indexed: a foreign key without an index leading with its columns', async () => {
    await db.sql.unsafe(`
      create table public.check_parent (id int primary key);
      create table public.check_child (id int primary key, a int, parent_id int constraint check_child_parent_fk references public.check_parent);
      alter table public.check_parent enable row level security;
      alter table public.check_child enable row level security;
      create index check_child_a_parent_idx on public.check_child (a, parent_id);`);
    const result = await check('foreign-keys-indexed');
    expect(objects(result)).toEqual(['public.check_child.check_child_parent_fk']);
    expect(result.findings[0]!.message).toContain('has no index leading with (parent_id)');
    await db.sql.unsafe('create index check_child_parent_idx on public.check_child (parent_id) where parent_id is not null');
    expect((await check('foreign-keys-indexed')).status).toBe('passed');
  });

  it('tenant-foreign-keys: a single-column foreign key into a tenant table (not one that provably stays inside)', async () => {
    await db.sql.unsafe(`
      create table public.check_tenant_parent (id uuid primary key, organization_id uuid not null, student_id uuid not null,
                                               unique (organization_id, id), unique (id, student_id),
                                               constraint check_tenant_parent_student_fk foreign key (organization_id, student_id) references public.students (organization_id, id));
      create table public.check_tenant_child (id uuid primary key, organization_id uuid not null, parent_id uuid, student_id uuid not null,
        constraint check_tenant_child_parent_fk foreign key (parent_id) references public.check_tenant_parent (id),
        constraint check_tenant_child_parent_org_fk foreign key (organization_id, parent_id) references public.check_tenant_parent (organization_id, id),
        constraint check_tenant_child_student_fk foreign key (organization_id, student_id) references public.students (organization_id, id),
        constraint check_tenant_child_pinned_fk foreign key (parent_id, student_id) references public.check_tenant_parent (id, student_id));
      create table public.check_tenant_loose (id uuid primary key, parent_id uuid, student_id uuid,
        constraint check_tenant_loose_pair_fk foreign key (parent_id, student_id) references public.check_tenant_parent (id, student_id));`);
    const result = await check('tenant-foreign-keys');
    // the composite key and the key pinned through student_id on both sides stay inside; the others do not
    expect(objects(result, 'public.check_tenant')).toEqual([
      'public.check_tenant_child.check_tenant_child_parent_fk',
      'public.check_tenant_loose.check_tenant_loose_pair_fk',
    ]);
    const single = result.findings.find((f) => f.object === 'public.check_tenant_child.check_tenant_child_parent_fk')!;
    expect(single.message).toContain('can point into another organisation: public.check_tenant_parent is a tenant table and the key does not include organization_id');
    expect(single.fix).toContain('make it composite: (organization_id, parent_id) → public.check_tenant_parent (organization_id, id)');
    await db.sql.unsafe('drop table public.check_tenant_loose, public.check_tenant_child, public.check_tenant_parent');
    expect((await check('tenant-foreign-keys')).status).toBe('passed');
  });

  it('primary-keys: a table without a primary key', async () => {
    await db.sql.unsafe('create table public.check_no_pk (x int); alter table public.check_no_pk enable row level security');
    const result = await check('primary-keys');
    expect(objects(result)).toEqual(['public.check_no_pk']);
    expect(result.findings[0]!.message).toContain('has no primary key');
  });

  it('security-definer: a definer function without search_path, executable by anon, or in public executable by authenticated', async () => {
    await db.sql.unsafe(`
      create function public.check_definer() returns int language sql security definer as 'select 1';
      create function public.check_definer_signed_in() returns int language sql security definer set search_path = '' as 'select 1';
      revoke execute on function public.check_definer_signed_in() from public, anon;
      create function public.check_definer_ok() returns int language sql security definer set search_path = '' as 'select 1';
      revoke execute on function public.check_definer_ok() from public, anon, authenticated;
      create schema check_private;
      create function check_private.check_definer_helper() returns int language sql security definer set search_path = '' as 'select 1';
      revoke execute on function check_private.check_definer_helper() from public, anon;
      grant execute on function check_private.check_definer_helper() to authenticated;`);
    const rule = (message: string) => (message.includes('search_path') ? 'search_path' : message.includes('exposed schema') ? 'exposed' : 'anon');
    const result = await check('security-definer');
    expect(result.findings.map((f) => [f.object, rule(f.message)])).toEqual([
      ['public.check_definer()', 'search_path'],
      ['public.check_definer()', 'anon'],
      ['public.check_definer()', 'exposed'],
      ['public.check_definer_signed_in()', 'exposed'],
    ]);
    expect(result.findings[1]!.message).toContain('is executable by anon');
    expect(result.findings[3]!.message).toContain('is in exposed schema public and executable by authenticated');
    expect(result.findings[3]!.fix).toContain('move it to a private schema');
    await db.sql.unsafe(`drop function public.check_definer(); drop function public.check_definer_signed_in(); drop schema check_private cascade`);
  });

  it('client-privileges: an API role holding a privilege on a sequence, or TRUNCATE, REFERENCES or TRIGGER on a table', async () => {
    // Created with Supabase's default privileges (the shim's): API roles get everything on both.
    await db.sql.unsafe(`
      create table public.check_counted (id bigint generated always as identity primary key, n int);
      alter table public.check_counted enable row level security;
      revoke all on public.check_counted from anon, authenticated;
      grant select on public.check_counted to authenticated;
      grant truncate on public.check_counted to authenticated;`);
    const result = await check('client-privileges');
    expect(objects(result, 'public.check_counted')).toEqual([
      'public.check_counted_id_seq (anon: USAGE, SELECT, UPDATE)',
      'public.check_counted_id_seq (authenticated: USAGE, SELECT, UPDATE)',
      'public.check_counted (authenticated: TRUNCATE)',
    ]);
    const sequence = result.findings.find((f) => f.object?.startsWith('public.check_counted_id_seq (anon'))!;
    expect(sequence.message).toContain('anon holds USAGE, SELECT, UPDATE on sequence public.check_counted_id_seq');
    expect(sequence.fix).toContain('revoke all on sequence public.check_counted_id_seq from anon');
    expect(result.findings.find((f) => f.object === 'public.check_counted (authenticated: TRUNCATE)')!.message).toContain('TRUNCATE empties the table past every policy');
    await db.sql.unsafe(`
      revoke all on sequence public.check_counted_id_seq from anon, authenticated;
      revoke truncate on public.check_counted from authenticated;`);
    expect(objects(await check('client-privileges'), 'public.check_counted')).toEqual([]);
  });

  it('duplicate-indexes: two indexes with the same columns and predicate (not a partial one next to a full one)', async () => {
    await db.sql.unsafe(`
      create table public.check_dup (id int primary key, a int, b int);
      alter table public.check_dup enable row level security;
      create index check_dup_a_b on public.check_dup (a, b);
      create unique index check_dup_a_b_partial on public.check_dup (a, b) where b > 0;
      create index check_dup_a_b_gist_free on public.check_dup (a, b desc);
      create index check_dup_id on public.check_dup (id);
      create index check_dup_a_b_again on public.check_dup (a, b);`);
    const result = await check('duplicate-indexes');
    expect(objects(result).sort()).toEqual(['public.check_dup_a_b_again', 'public.check_dup_id']);
    const pk = result.findings.find((f) => f.object === 'public.check_dup_id')!;
    expect(pk.message).toContain('duplicates the index of constraint check_dup_pkey');
  });

  it('views-security-invoker: a view without security_invoker, an API-readable materialized view', async () => {
    await db.sql.unsafe(`
      create view public.check_view as select 1 as x;
      create view public.check_view_ok with (security_invoker = on) as select 1 as x;
      create materialized view public.check_matview as select 1 as x;
      grant select on public.check_matview to authenticated;`);
    const result = await check('views-security-invoker');
    expect(objects(result)).toEqual(['public.check_matview', 'public.check_view']);
    expect(result.findings.find((f) => f.object === 'public.check_view')!.message).toContain('no security_invoker');
  });

  it('extensions-not-in-public: an extension installed in public', async () => {
    await db.sql.unsafe('alter extension pgcrypto set schema public');
    try {
      const result = await check('extensions-not-in-public');
      expect(objects(result)).toEqual(['pgcrypto']);
      expect(result.findings[0]!.fix).toContain('with schema extensions');
    } finally {
      await db.sql.unsafe('alter extension pgcrypto set schema extensions');
    }
    expect((await check('extensions-not-in-public')).status).toBe('passed');
  });

  it('honours the exposed schemas option', async () => {
    await db.sql.unsafe('create schema check_api; create table check_api.t (id int primary key)');
    const defaults = await runCatalogueChecks(db.sql);
    expect(defaults.find((r) => r.id === 'rls-enabled')!.findings.map((f) => f.object)).not.toContain('check_api.t');
    const custom = await runCatalogueChecks(db.sql, { exposedSchemas: ['check_api'] });
    expect(custom.find((r) => r.id === 'rls-enabled')!.findings.map((f) => f.object)).toEqual(['check_api.t']);
  });
});
