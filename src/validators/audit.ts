import type { z } from 'zod';
import { auditLog } from '../schema/audit';
import { defineTable } from './table';

// ------------------------------------------------------------------ audit.audit_log
/**
 * Written only by the audit triggers (SECURITY DEFINER) and append-only for everyone: the insert
 * schema describes what a trigger writes (for tools and tests), and the update schema accepts no
 * change at all.
 */
export const auditLogValidators = defineTable(auditLog, {
  server: ['occurredAt'],
  frozen: {
    columns: ['organizationId', 'actorId', 'actorRole', 'actorMemberRoles', 'action', 'tableName', 'recordId', 'oldData', 'newData', 'changedFields', 'requestId'],
    because: 'audit.audit_log is append-only',
  },
});
export const auditLogInsertSchema: (typeof auditLogValidators)['insert'] = auditLogValidators.insert;
export const auditLogUpdateSchema: (typeof auditLogValidators)['update'] = auditLogValidators.update;
export const auditLogSelectSchema: (typeof auditLogValidators)['select'] = auditLogValidators.select;
export type AuditLogInsert = z.output<typeof auditLogInsertSchema>;
export type AuditLogInsertInput = z.input<typeof auditLogInsertSchema>;
export type AuditLogUpdate = z.output<typeof auditLogUpdateSchema>;
export type AuditLogUpdateInput = z.input<typeof auditLogUpdateSchema>;
export type AuditLogSelect = z.output<typeof auditLogSelectSchema>;
