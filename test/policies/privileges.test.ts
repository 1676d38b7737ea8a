import { describe, expect, it } from 'vitest';
import { identitySequences } from '../../src/policies';
import { allTables } from '../../src/schema';
import { asAnon, asUser } from '../../src/testing';
import { asOwner, attempt, type Outcome } from './support/probe';
import { usePolicyWorld, type Tx } from './support/world';

/**
 * Privileges no policy governs (issue 12, item 10): sequences, TRUNCATE / REFERENCES / TRIGGER,
 * SECURITY DEFINER functions in an exposed schema. Supabase's default privileges grant all of them
 * to `anon` and `authenticated` on every new object in `public` (the shim reproduces that), so each
 * test is an attack that worked before the revokes.
 */

const world = usePolicyWorld();

const run = (tx: Tx, sql: string): Promise<Outcome> => attempt(tx, async (sp) => (await sp.unsafe(sql)).count);
const denied = { kind: 'error', code: '42501', message: expect.stringMatching(/permission denied/) };
const API_ROLES = ['anon', 'authenticated'] as const;

describe('sequences: no API role holds a privilege on any of them', () => {
  const attacks = ["select setval('public.outbox_events_id_seq', 1)", "select nextval('public.outbox_events_id_seq')", 'select last_value from public.outbox_events_id_seq'];

  it.each(attacks)('anon cannot `%s`', async (statement) => {
    expect(await asAnon(world().db.sql, (tx) => run(tx, statement))).toMatchObject(denied);
  });

  it.each(attacks)('a signed-in org admin cannot `%s`', async (statement) => {
    expect(await asUser(world().db.sql, { sub: world().fx.a.users.org_admin }, (tx) => run(tx, statement))).toMatchObject(denied);
  });

  it('every identity sequence of the schema is declared, and none grants anything to anon or authenticated', async () => {
    expect(identitySequences(allTables)).toEqual(['audit.audit_log_id_seq', 'public.outbox_events_id_seq']);
    const granted = await world().db.sql<{ sequence: string; role: string }[]>`
      select c.oid::regclass::text as sequence, r.rolname as role
        from pg_class c cross join pg_roles r
       where c.relkind = 'S' and r.rolname = any (${[...API_ROLES]}::text[])
         and c.relnamespace::regnamespace::text not in ('pg_catalog', 'information_schema')
         and (has_sequence_privilege(r.oid, c.oid, 'usage') or has_sequence_privilege(r.oid, c.oid, 'select') or has_sequence_privilege(r.oid, c.oid, 'update'))`;
    expect(granted).toEqual([]);
  });

  it('the outbox still numbers the events a signed-in user causes (identity columns need no privilege on their sequence)', async () => {
    const a = world().fx.a;
    const events = await asUser(world().db.sql, { sub: a.users.org_admin }, async (tx) => {
      const [session] = await tx<{ id: string }[]>`
        insert into public.therapy_sessions (organization_id, therapist_id, session_type_id, school_id, start_time, end_time, created_by)
        values (${a.organizationId}, ${a.users.therapist}, ${world().extras.a.sessionTypeId}, ${a.schoolIds[0]},
                now() + interval '60 days', now() + interval '60 days 30 minutes', ${a.users.org_admin})
        returning id`;
      await tx`set constraints all immediate`; // session.created is enqueued by a deferred trigger, at commit
      return asOwner(tx, () => tx<{ id: string; type: string }[]>`select id::text, event_type as type from public.outbox_events where aggregate_id = ${session!.id}`);
    });
    expect(events).toEqual([{ id: expect.stringMatching(/^\d+$/), type: 'session.created' }]);
  });
});

describe('tables: no API role holds TRUNCATE, REFERENCES or TRIGGER (row level security does not govern them)', () => {
  it('no table of public, audit or storage grants them to anon or authenticated', async () => {
    const granted = await world().db.sql<{ grant: string }[]>`
      select c.oid::regclass::text || ' ' || r.rolname || ' ' || p as grant
        from pg_class c cross join pg_roles r cross join unnest(array['TRUNCATE', 'REFERENCES', 'TRIGGER']) p
       where c.relkind in ('r', 'p') and c.relnamespace::regnamespace::text in ('public', 'audit', 'storage')
         and r.rolname = any (${[...API_ROLES]}::text[]) and has_table_privilege(r.oid, c.oid, p)
       order by 1`;
    expect(granted).toEqual([]);
  });

  it.each(['public.messages', 'public.session_notes', 'audit.audit_log', 'storage.objects'])('a signed-in user cannot truncate %s', async (table) => {
    expect(await asUser(world().db.sql, { sub: world().fx.a.users.org_admin }, (tx) => run(tx, `truncate ${table}`))).toMatchObject(denied);
  });

});

describe('functions: no SECURITY DEFINER function in an exposed schema is executable by API roles', () => {
  it('none in public or audit', async () => {
    const rows = await world().db.sql<{ fn: string; role: string }[]>`
      select p.oid::regprocedure::text as fn, r.rolname as role
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace cross join pg_roles r
       where p.prosecdef and n.nspname in ('public', 'audit') and r.rolname = any (${[...API_ROLES]}::text[])
         and has_function_privilege(r.oid, p.oid, 'execute')`;
    expect(rows).toEqual([]);
  });

  it('a signed-in user finds no public.soft_delete_message to call with definer rights', async () => {
    const outcome = await asUser(world().db.sql, { sub: world().fx.a.users.guardian }, (tx) => run(tx, "select public.soft_delete_message('00000000-0000-0000-0000-000000000000')"));
    expect(outcome).toMatchObject({ kind: 'error', code: '42883' });
  });
});
