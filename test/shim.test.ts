import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySupabaseShim, supabaseShimParts } from '../src/migrate';
import { asAnon, asServiceRole, asUser } from '../src/testing';
import { createTestDatabase, type TestDatabase } from './support/database';

const alice = '00000000-0000-4000-8000-00000000a11c';

describe('Supabase platform shim', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    // A table with RLS on and no policy at all: deny by default.
    await db.sql.unsafe(`create table public.shim_probe (id int primary key, note text);
      alter table public.shim_probe enable row level security;
      insert into public.shim_probe values (1, 'secret')`);
  });
  afterAll(() => db.close());

  it('auth.uid() returns the sub of the signed-in user', async () => {
    const uid = await asUser(db.sql, { sub: alice }, async (tx) => (await tx`select auth.uid() as uid`)[0]?.uid);
    expect(uid).toBe(alice);
  });

  it('auth.jwt() and auth.role() read request.jwt.claims as Supabase does', async () => {
    const row = await asUser(db.sql, { sub: alice, claims: { email: 'a@example.org' } }, async (tx) =>
      (await tx`select auth.jwt() ->> 'email' as email, auth.role() as role, current_user as who`)[0],
    );
    expect(row).toEqual({ email: 'a@example.org', role: 'authenticated', who: 'authenticated' });
  });

  it('auth.uid() is null outside a request', async () => {
    expect((await db.sql`select auth.uid() as uid`)[0]?.uid).toBeNull();
  });

  it('service_role bypasses RLS', async () => {
    const rows = await asServiceRole(db.sql, (tx) => tx`select note from public.shim_probe`);
    expect(rows.map((r) => r.note)).toEqual(['secret']);
  });

  it('an authenticated user reads nothing from an RLS table without a policy', async () => {
    const rows = await asUser(db.sql, { sub: alice }, (tx) => tx`select * from public.shim_probe`);
    expect(rows).toHaveLength(0);
  });

  it('anon reads nothing from an RLS table with no anon policy, although Supabase-style defaults granted it select', async () => {
    const granted = await db.sql`select has_table_privilege('anon', 'public.shim_probe', 'select') as granted`;
    expect(granted[0]?.granted).toBe(true);
    const rows = await asAnon(db.sql, (tx) => tx`select * from public.shim_probe`);
    expect(rows).toHaveLength(0);
  });

  it('the helpers roll back whatever the callback wrote', async () => {
    await asServiceRole(db.sql, (tx) => tx`insert into public.shim_probe values (2, 'temporary')`);
    expect((await db.sql`select count(*)::int as n from public.shim_probe`)[0]?.n).toBe(1);
  });

  it('storage.foldername() and realtime.topic() behave like Supabase', async () => {
    const [row] = await db.sql.begin(async (tx) => {
      await tx`select set_config('realtime.topic', 'conversation:42', true)`;
      return tx`select storage.foldername('org/students/s1/iep/doc.pdf') as folders, storage.filename('org/a/b.pdf') as file, realtime.topic() as topic`;
    });
    expect(row).toEqual({ folders: ['org', 'students', 's1', 'iep'], file: 'b.pdf', topic: 'conversation:42' });
  });

  it('creates the roles, schemas and the supabase_realtime publication', async () => {
    const [row] = await db.sql`select
      (select array_agg(rolname order by rolname) from pg_roles where rolname in ('anon','authenticated','service_role','authenticator')) as roles,
      (select rolbypassrls from pg_roles where rolname = 'service_role') as bypass,
      (select array_agg(nspname order by nspname) from pg_namespace where nspname in ('auth','storage','realtime','extensions')) as schemas,
      exists (select 1 from pg_publication where pubname = 'supabase_realtime') as publication`;
    expect(row).toEqual({
      roles: ['anon', 'authenticated', 'authenticator', 'service_role'],
      bypass: true,
      schemas: ['auth', 'extensions', 'realtime', 'storage'],
      publication: true,
    });
  });

  it('is idempotent: a second run creates nothing and changes nothing', async () => {
    const before = await db.sql`select pg_get_functiondef('auth.uid()'::regprocedure) as def`;
    const result = await applySupabaseShim(db.sql);
    expect(result.created).toEqual([]);
    const after = await db.sql`select pg_get_functiondef('auth.uid()'::regprocedure) as def`;
    expect(after).toEqual(before);
  });

  it('never replaces an existing Supabase object', async () => {
    // Stand in for a real Supabase project whose auth.uid() differs from the shim's.
    await db.sql.unsafe(`create or replace function auth.uid() returns uuid language sql stable as $$ select '${alice}'::uuid $$`);
    try {
      await applySupabaseShim(db.sql);
      expect((await db.sql`select auth.uid() as uid`)[0]?.uid).toBe(alice);
    } finally {
      const original = supabaseShimParts.find((p) => p.name === 'function auth.uid()')!;
      await db.sql.unsafe(original.create.replace('create function', 'create or replace function'));
    }
  });
});
