import { sql } from 'drizzle-orm';
import { bigint, check, index, jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { auditActions } from './codes';
import { oneOf } from './columns';

/** Append-only audit trail, outside the API-exposed `public` schema. */
export const auditSchema = pgSchema('audit');

// ------------------------------------------------------------------ audit.audit_log
/**
 * Who did what to which record, written only by SECURITY DEFINER triggers; nobody gets UPDATE or
 * DELETE. The reference model partitions it by month on `occurred_at`; drizzle-kit cannot declare
 * partitioning, so this is a plain table with a plain identity key. No FKs on purpose: the trail
 * outlives the rows and organisations it describes.
 */
export const auditLog = auditSchema
  .table(
    'audit_log',
    {
      id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
      occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
      organizationId: uuid('organization_id'),
      actorId: uuid('actor_id'),
      actorRole: text('actor_role'),
      actorMemberRoles: text('actor_member_roles').array(),
      action: text('action', { enum: auditActions }).notNull(),
      tableName: text('table_name').notNull(),
      recordId: uuid('record_id'),
      oldData: jsonb('old_data').$type<Record<string, unknown>>(),
      newData: jsonb('new_data').$type<Record<string, unknown>>(),
      changedFields: text('changed_fields').array(),
      requestId: text('request_id'),
    },
    (t) => [
      oneOf('audit_log_action_check', t.action, auditActions),
      // The audit trigger writes to_jsonb(row) objects and the keys of one.
      check('audit_log_old_data_check', sql`${t.oldData} is null or jsonb_typeof(${t.oldData}) = 'object'`),
      check('audit_log_new_data_check', sql`${t.newData} is null or jsonb_typeof(${t.newData}) = 'object'`),
      check('audit_log_changed_fields_check', sql`${t.changedFields} is null or array_position(${t.changedFields}, null) is null`),
      check('audit_log_actor_member_roles_check', sql`${t.actorMemberRoles} is null or array_position(${t.actorMemberRoles}, null) is null`),
      index('audit_log_organization_id_occurred_at_idx').on(t.organizationId, t.occurredAt),
      index('audit_log_table_name_record_id_occurred_at_idx').on(t.tableName, t.recordId, t.occurredAt),
    ],
  )
  .enableRLS();
