import type { PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { defineTriggerFunction, defineTrigger, type DdlObject } from '../../ddl';
import { auditLog } from '../audit';

/**
 * Writes one `audit.audit_log` row per changed row: who (auth.uid(), the database role the
 * statement ran as, and the actor's active member roles in the row's organisation — facts of the
 * database, never a JWT claim), what
 * (insert/update/delete, or sign/cosign for notes), which record, the old and new data and the
 * changed fields. Security definer so the log is written whatever the writer may read, and
 * nobody can write it any other way.
 */
export const auditRow = defineTriggerFunction({
  name: 'audit_row',
  security: 'definer',
  body: `
declare
  v_old jsonb := case when tg_op in ('UPDATE', 'DELETE') then pg_catalog.to_jsonb(old) end;
  v_new jsonb := case when tg_op in ('INSERT', 'UPDATE') then pg_catalog.to_jsonb(new) end;
  v_row jsonb := coalesce(v_new, v_old);
  v_action text := pg_catalog.lower(tg_op);
  v_changed text[];
  v_actor uuid := (select auth.uid());
  v_org uuid := (v_row ->> 'organization_id')::uuid;
  -- The role the statement runs as: SET ROLE's (PostgREST's set local role), else the login role.
  -- A SECURITY DEFINER function runs as its owner, but the role setting is the caller's.
  v_role text := coalesce(nullif(pg_catalog.current_setting('role', true), 'none'), session_user);
  v_member_roles text[];
begin
  if v_actor is not null and v_org is not null then
    select pg_catalog.array_agg(distinct m.role order by m.role) into v_member_roles
      from public.organization_members m
     where m.user_id = v_actor and m.organization_id = v_org and m.status = 'active';
    v_member_roles := coalesce(v_member_roles, '{}');
  end if;
  if tg_op = 'UPDATE' then
    select pg_catalog.array_agg(n.key order by n.key) into v_changed
      from pg_catalog.jsonb_each(v_new) n
     where n.value is distinct from (v_old -> n.key);
    if v_changed is null then
      return null;  -- nothing changed: nothing to audit
    end if;
    if tg_table_name = 'session_notes' then
      v_action := case
        when v_old ->> 'status' = 'draft' and v_new ->> 'status' in ('signed', 'pending_cosign') then 'sign'
        when v_old ->> 'status' = 'pending_cosign' and v_new ->> 'status' = 'signed' then 'cosign'
        else v_action end;
    end if;
  end if;
  insert into audit.audit_log (organization_id, actor_id, actor_role, actor_member_roles, action, table_name, record_id, old_data, new_data, changed_fields)
  values (
    v_org,
    v_actor,
    v_role,
    v_member_roles,
    v_action,
    tg_table_name,
    case when v_row ? 'id' then (v_row ->> 'id')::uuid end,
    v_old,
    v_new,
    v_changed
  );
  return null;
end`,
  comment: 'Trigger: appends the change to audit.audit_log.',
});

/** The log is append-only for everyone, the server included. */
export const auditLogAppendOnly = defineTriggerFunction({
  name: 'audit_log_append_only',
  body: `
begin
  raise exception 'audit.audit_log is append-only (audit_log_append_only)'
    using errcode = 'insufficient_privilege', table = 'audit_log', constraint = 'audit_log_append_only';
end`,
  comment: 'Trigger: refuses update, delete and truncate of the audit log.',
});

/** An `<table>_audit` trigger per audited table. */
export function auditTriggers(tables: readonly PgTable[]): DdlObject[] {
  return tables.map((table) =>
    defineTrigger({
      name: `${getTableConfig(table).name}_audit`,
      table,
      timing: 'after',
      events: ['insert', 'update', 'delete'],
      function: auditRow,
    }),
  );
}

export const auditRules: readonly DdlObject[] = [
  auditLogAppendOnly,
  defineTrigger({ name: 'audit_log_no_update_delete', table: auditLog, timing: 'before', events: ['update', 'delete'], function: auditLogAppendOnly }),
  defineTrigger({ name: 'audit_log_no_truncate', table: auditLog, timing: 'before', events: ['truncate'], forEach: 'statement', function: auditLogAppendOnly }),
  auditRow,
];
