/** `therapy-db/validators/audit-log`: the validators of `audit.audit_log`. */
import type { z } from 'zod';
import { auditLogColumns } from '../described-tables';
import { tableSchemas } from '../table';

/**
 * Written only by the audit triggers (SECURITY DEFINER) and append-only for everyone: the insert
 * schema describes what a trigger writes (for tools and tests), and the update schema accepts no
 * change at all.
 */
export const auditLogSchemas = tableSchemas(auditLogColumns, {
  server: ['occurredAt'],
  frozen: {
    columns: ['organizationId', 'actorId', 'actorRole', 'actorMemberRoles', 'action', 'tableName', 'recordId', 'oldData', 'newData', 'changedFields', 'requestId'],
    because: 'audit.audit_log is append-only',
  },
});
export const auditLogInsertSchema: (typeof auditLogSchemas)['insert'] = auditLogSchemas.insert;
export const auditLogUpdateSchema: (typeof auditLogSchemas)['update'] = auditLogSchemas.update;
export const auditLogSelectSchema: (typeof auditLogSchemas)['select'] = auditLogSchemas.select;
export type AuditLogInsert = z.output<typeof auditLogInsertSchema>;
export type AuditLogInsertInput = z.input<typeof auditLogInsertSchema>;
export type AuditLogUpdate = z.output<typeof auditLogUpdateSchema>;
export type AuditLogUpdateInput = z.input<typeof auditLogUpdateSchema>;
export type AuditLogSelect = z.output<typeof auditLogSelectSchema>;
