import { getTableConfig } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allTables, auditedTables } from '../../src/schema';
import { actAs, at, createWorld, expectRefusal, isoDate, rolledBack, type Sql, type World } from './helpers';

/**
 * The audit trail (written by a SECURITY DEFINER trigger on every clinical table, append-only for
 * everyone) and `updated_at` (kept by a trigger on every table that has it).
 */
describe('audit trail', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await w?.db.close();
  });

  interface AuditRow {
    action: string;
    table_name: string;
    record_id: string | null;
    organization_id: string | null;
    actor_id: string | null;
    old_data: Record<string, unknown> | null;
    new_data: Record<string, unknown> | null;
    changed_fields: string[] | null;
  }
  /** The audit rows written in the current transaction (now() is the transaction's start). */
  const writtenNow = (tx: Sql, recordId: string) =>
    tx<AuditRow[]>`
      select action, table_name, record_id, organization_id, actor_id, old_data, new_data, changed_fields
        from audit.audit_log where record_id = ${recordId} and occurred_at = now() order by id`;

  const assignment = async (tx: Sql) => {
    const [row] = await tx<{ id: string }[]>`
      insert into public.caseload_assignments (organization_id, student_id, therapist_id, discipline, assignment_role)
      values (${w.fx.a.organizationId}, ${w.fx.a.studentIds[2]}, ${w.fx.a.users.therapist}, 'slp', 'consult') returning id`;
    return row!.id;
  };

  it('inserting, updating and deleting a clinical row each write an audit row, with the actor', async () => {
    const rows = await rolledBack(w.db.sql, async (tx) => {
      await actAs(tx, w.fx.a.users.org_admin);
      const id = await assignment(tx);
      await tx`update public.caseload_assignments set ends_on = ${isoDate(at(60, 12))} where id = ${id}`;
      await tx`delete from public.caseload_assignments where id = ${id}`;
      return { id, rows: await writtenNow(tx, id) };
    });
    expect(rows.rows.map((r) => r.action)).toEqual(['insert', 'update', 'delete']);
    const [inserted, updated, deleted] = rows.rows;
    for (const r of rows.rows) {
      expect(r).toMatchObject({ table_name: 'caseload_assignments', record_id: rows.id, organization_id: w.fx.a.organizationId, actor_id: w.fx.a.users.org_admin });
    }
    expect(inserted).toMatchObject({ old_data: null, new_data: { assignment_role: 'consult', ends_on: null } });
    expect(updated!.changed_fields).toEqual(['ends_on']);
    expect(updated!.old_data).toMatchObject({ ends_on: null });
    expect(deleted).toMatchObject({ new_data: null, old_data: { id: rows.id } });
  });

  it('every audited table has its audit trigger', async () => {
    const names = auditedTables.map((t) => getTableConfig(t).name);
    const triggers = await w.db.sql<{ table_name: string }[]>`
      select c.relname as table_name
        from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
       where not t.tgisinternal and n.nspname = 'public' and t.tgfoid = 'app.audit_row()'::regprocedure`;
    expect(triggers.map((t) => t.table_name).sort()).toEqual([...names].sort());
  });

  it("signing a note is audited as 'sign', and co-signing it as 'cosign'", async () => {
    const note = w.fx.a.noteIds.draftS2;
    const rows = await rolledBack(w.db.sql, async (tx) => {
      await tx`update public.session_notes set status = 'pending_cosign' where id = ${note}`;
      await tx`update public.session_notes set status = 'signed', cosigned_by = ${w.fx.a.users.supervisor} where id = ${note}`;
      return writtenNow(tx, note);
    });
    expect(rows.map((r) => r.action)).toEqual(['sign', 'cosign']);
    expect(rows[0]!.changed_fields).toEqual(expect.arrayContaining(['status', 'signed_at', 'signed_by', 'content_hash']));
  });

  it('the fixture\'s signed note was audited when it was signed', async () => {
    const actions = await w.db.sql<{ action: string }[]>`
      select action from audit.audit_log where record_id = ${w.fx.a.noteIds.signedS1} order by id`;
    expect(actions.map((a) => a.action)).toEqual(['insert', 'sign']);
  });

  it.each([
    ['updated', (tx: Sql) => tx`update audit.audit_log set action = 'view' where id = (select min(id) from audit.audit_log)`],
    ['deleted', (tx: Sql) => tx`delete from audit.audit_log where id = (select min(id) from audit.audit_log)`],
    ['truncated', (tx: Sql) => tx`truncate audit.audit_log`],
  ] as const)('the audit log cannot be %s, not even by its owner', async (_what, attempt) => {
    await expectRefusal(w.db.sql, { code: '42501', rule: 'audit_log_append_only', table: 'audit_log' }, attempt);
  });

  it('the server role cannot rewrite the audit log either', async () => {
    await expectRefusal(w.db.sql, { code: '42501', rule: 'audit_log_append_only', table: 'audit_log' }, async (tx) => {
      await tx`select set_config('role', 'service_role', true)`;
      await tx`delete from audit.audit_log where table_name = 'session_notes'`;
    });
  });
});

describe('updated_at', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await w?.db.close();
  });

  const withUpdatedAt = allTables.filter((t) => getTableConfig(t).columns.some((c) => c.name === 'updated_at')).map((t) => {
    const { schema, name } = getTableConfig(t);
    return `${schema ?? 'public'}.${name}`;
  });

  it('the tables with updated_at are the ones the design lists', () => {
    expect(withUpdatedAt.sort()).toEqual([
      'public.organization_members', 'public.organizations', 'public.profiles', 'public.session_notes', 'public.students', 'public.therapy_sessions',
    ]);
  });

  it.each(withUpdatedAt)('%s: updated_at is set by the database on every update, whatever the client writes', async (table) => {
    const [schema, name] = table.split('.') as [string, string];
    const result = await rolledBack(w.db.sql, async (tx) => {
      // Back-date a row first (in a separate statement), then update it and ask for the client's stale value.
      const [row] = await tx<{ ctid: string }[]>`select ctid::text from ${tx(schema)}.${tx(name)} limit 1`;
      const [updated] = await tx<{ is_now: boolean }[]>`
        update ${tx(schema)}.${tx(name)} set updated_at = '2001-01-01T00:00:00Z' where ctid = ${row!.ctid}::tid returning updated_at = now() as is_now`;
      return updated;
    });
    expect(result).toEqual({ is_now: true });
  });
});
