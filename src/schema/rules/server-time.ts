import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { defineTrigger, defineTriggerFunction, quoteLiteral, type DdlObject } from '../../ddl';
import { serviceCharges } from '../billing';
import { allTables } from '../catalog';
import { consents } from '../caseload';
import { conversationParticipants, conversations, messages } from '../chat';
import { goalObservations, progressReports } from '../goals';
import { organizations, profiles } from '../identity';
import { webhookSubscriptions } from '../integrations';
import { notifications } from '../notifications';
import { therapySessions } from '../scheduling';

/**
 * Facts of record are the server's time, never the client's. When an API client (`anon` or
 * `authenticated`) writes a row, the database stamps:
 *
 * - `created` columns (`created_at`, `joined_at`, `recorded_at`) with its own time on insert, and
 *   keeps them on update;
 * - `event` columns (`revoked_at`, `cancelled_at`, `deleted_at`, `edited_at`, `submitted_at` …)
 *   with its own time whenever the client sets or changes them; clearing one (a restore) stays
 *   possible where the policies allow it.
 *
 * `signed_at` and `cosigned_at` are stamped by the note trigger. Server code (migrations, imports,
 * the seed, `service_role`) keeps the times it writes: it may carry history over.
 */
export type ServerTimeMode = 'created' | 'event';

export const stampServerTime = defineTriggerFunction({
  name: 'stamp_server_time',
  body: `
declare
  v_new constant jsonb := pg_catalog.to_jsonb(new);
  v_old constant jsonb := case when tg_op = 'UPDATE' then pg_catalog.to_jsonb(old) end;
  v_now constant jsonb := pg_catalog.to_jsonb(pg_catalog.now());
  v_patch jsonb := '{}';
  v_column text;
  i integer := 0;
begin
  while i < tg_nargs loop
    v_column := tg_argv[i];
    if tg_argv[i + 1] = 'created' then
      v_patch := v_patch || pg_catalog.jsonb_build_object(v_column, case when tg_op = 'INSERT' then v_now else v_old -> v_column end);
    elsif v_new -> v_column <> 'null'::jsonb
          and (tg_op = 'INSERT' or (v_new -> v_column) is distinct from (v_old -> v_column)) then
      v_patch := v_patch || pg_catalog.jsonb_build_object(v_column, v_now);
    end if;
    i := i + 2;
  end loop;
  if v_patch <> '{}'::jsonb then
    new := pg_catalog.jsonb_populate_record(new, v_patch);
  end if;
  return new;
end`,
  comment: "Trigger: an API client's write gets the server's time in the row's facts of record (created on insert, events when set).",
});

/** The columns every table stamps when it has them. */
const CREATED = ['created_at'] as const;
const EVENTS = ['updated_at', 'deleted_at'] as const;

/** Further columns, per table. */
const declared: ReadonlyArray<readonly [PgColumn, ServerTimeMode]> = [
  [organizations.deletedAt, 'event'],
  [profiles.deactivatedAt, 'event'],
  [consents.revokedAt, 'event'],
  [therapySessions.cancelledAt, 'event'],
  [goalObservations.recordedAt, 'created'],
  [progressReports.finalizedAt, 'event'],
  [progressReports.sharedWithGuardiansAt, 'event'],
  [conversations.lastMessageAt, 'event'],
  [conversations.archivedAt, 'event'],
  [conversationParticipants.joinedAt, 'created'],
  [conversationParticipants.leftAt, 'event'],
  [messages.editedAt, 'event'],
  [serviceCharges.submittedAt, 'event'],
  [notifications.readAt, 'event'],
  [webhookSubscriptions.disabledAt, 'event'],
];

/** Each table's stamped columns (SQL names) and modes, in column order. */
export function serverTimeColumns(table: PgTable): ReadonlyArray<readonly [string, ServerTimeMode]> {
  const config = getTableConfig(table);
  const modes = new Map<string, ServerTimeMode>();
  for (const column of config.columns) {
    if ((CREATED as readonly string[]).includes(column.name)) modes.set(column.name, 'created');
    if ((EVENTS as readonly string[]).includes(column.name)) modes.set(column.name, 'event');
  }
  for (const [column, mode] of declared) if (column.table === table) modes.set(column.name, mode);
  return config.columns.filter((c) => modes.has(c.name)).map((c) => [c.name, modes.get(c.name)!] as const);
}

/** A `<table>_server_time` trigger on each table with stamped columns, for API clients only. */
export function serverTimeTriggers(tables: readonly PgTable[]): DdlObject[] {
  return tables.flatMap((table) => {
    const columns = serverTimeColumns(table);
    if (columns.length === 0 || getTableConfig(table).schema === 'audit') return [];
    return [
      defineTrigger({
        name: `${getTableConfig(table).name}_server_time`,
        table,
        timing: 'before',
        events: ['insert', 'update'],
        when: `pg_catalog.current_setting('role', true) in ('anon', 'authenticated')`,
        function: stampServerTime,
        arguments: columns.flatMap(([name, mode]) => [name, mode]).map(quoteLiteral),
      }),
    ];
  });
}

export const serverTimeRules: readonly DdlObject[] = [stampServerTime, ...serverTimeTriggers(allTables)];
