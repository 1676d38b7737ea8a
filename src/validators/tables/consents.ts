/** `therapy-db/validators/consents`: the validators of `public.consents`. */
import type { z } from 'zod';
import type { consents } from '../../schema/caseload';
import { bothOrNeither, ordered } from '../rules';
import { consentsColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const consentSchemas = tableSchemas(consentsColumns, {
  server: ['id', 'createdAt'],
  // A consent is a legal record (the consents_append_only trigger): an update may only revoke it.
  frozen: {
    columns: ['organizationId', 'studentId', 'guardianId', 'consentType', 'scope', 'grantedAt', 'expiresAt', 'signatureMethod', 'documentId', 'recordedBy'],
    because: 'consents are append-only; an update may only set revoked_at and revoked_reason',
  },
  rules: [
    ordered('consents_expires_after_granted_check', 'expiresAt', 'grantedAt'),
    ordered('consents_revoked_after_granted_check', 'revokedAt', 'grantedAt', { orEqual: true }),
    bothOrNeither('consents_revocation_fields_check', 'revokedAt', 'revokedReason'),
  ],
});
export const consentInsertSchema: (typeof consentSchemas)['insert'] = consentSchemas.insert;
export const consentUpdateSchema: (typeof consentSchemas)['update'] = consentSchemas.update;
export const consentSelectSchema: (typeof consentSchemas)['select'] = consentSchemas.select;
export type ConsentInsert = z.output<typeof consentInsertSchema>;
export type ConsentInsertInput = z.input<typeof consentInsertSchema>;
export type ConsentUpdate = z.output<typeof consentUpdateSchema>;
export type ConsentUpdateInput = z.input<typeof consentUpdateSchema>;
export type ConsentSelect = z.output<typeof consentSelectSchema>;
