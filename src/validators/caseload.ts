import type { z } from 'zod';
import { caseloadAssignments, consents, serviceMandates, servicePlans } from '../schema/caseload';
import { between } from './numeric';
import { nonEmptyRange } from './range';
import { bothOrNeither, ordered } from './rules';
import { defineTable } from './table';

// ------------------------------------------------------------------ caseload_assignments
export const caseloadAssignmentValidators = defineTable(caseloadAssignments, {
  server: ['id', 'createdAt'],
  // starts_on defaults to current_date: with it omitted, only the database knows today's date.
  rules: [ordered('caseload_assignments_ends_after_starts_check', 'endsOn', 'startsOn', { orEqual: true })],
});
export const caseloadAssignmentInsertSchema: (typeof caseloadAssignmentValidators)['insert'] = caseloadAssignmentValidators.insert;
export const caseloadAssignmentUpdateSchema: (typeof caseloadAssignmentValidators)['update'] = caseloadAssignmentValidators.update;
export const caseloadAssignmentSelectSchema: (typeof caseloadAssignmentValidators)['select'] = caseloadAssignmentValidators.select;
export type CaseloadAssignmentInsert = z.output<typeof caseloadAssignmentInsertSchema>;
export type CaseloadAssignmentInsertInput = z.input<typeof caseloadAssignmentInsertSchema>;
export type CaseloadAssignmentUpdate = z.output<typeof caseloadAssignmentUpdateSchema>;
export type CaseloadAssignmentUpdateInput = z.input<typeof caseloadAssignmentUpdateSchema>;
export type CaseloadAssignmentSelect = z.output<typeof caseloadAssignmentSelectSchema>;

// ------------------------------------------------------------------ service_plans
export const servicePlanValidators = defineTable(servicePlans, {
  server: ['id', 'createdAt'],
  columns: {
    effectiveDuring: (s) => s.check(nonEmptyRange('daterange')),
  },
});
export const servicePlanInsertSchema: (typeof servicePlanValidators)['insert'] = servicePlanValidators.insert;
export const servicePlanUpdateSchema: (typeof servicePlanValidators)['update'] = servicePlanValidators.update;
export const servicePlanSelectSchema: (typeof servicePlanValidators)['select'] = servicePlanValidators.select;
export type ServicePlanInsert = z.output<typeof servicePlanInsertSchema>;
export type ServicePlanInsertInput = z.input<typeof servicePlanInsertSchema>;
export type ServicePlanUpdate = z.output<typeof servicePlanUpdateSchema>;
export type ServicePlanUpdateInput = z.input<typeof servicePlanUpdateSchema>;
export type ServicePlanSelect = z.output<typeof servicePlanSelectSchema>;

// ------------------------------------------------------------------ service_mandates
export const serviceMandateValidators = defineTable(serviceMandates, {
  server: ['id', 'createdAt'],
  columns: {
    minutesPerSession: (s) => s.check(between(5, 240)),
    sessionsPerPeriod: (s) => s.check(between(1, 31)),
    groupSizeMax: (s) => s.check(between(1, 8)),
    effectiveDuring: (s) => s.check(nonEmptyRange('daterange')),
  },
});
export const serviceMandateInsertSchema: (typeof serviceMandateValidators)['insert'] = serviceMandateValidators.insert;
export const serviceMandateUpdateSchema: (typeof serviceMandateValidators)['update'] = serviceMandateValidators.update;
export const serviceMandateSelectSchema: (typeof serviceMandateValidators)['select'] = serviceMandateValidators.select;
export type ServiceMandateInsert = z.output<typeof serviceMandateInsertSchema>;
export type ServiceMandateInsertInput = z.input<typeof serviceMandateInsertSchema>;
export type ServiceMandateUpdate = z.output<typeof serviceMandateUpdateSchema>;
export type ServiceMandateUpdateInput = z.input<typeof serviceMandateUpdateSchema>;
export type ServiceMandateSelect = z.output<typeof serviceMandateSelectSchema>;

// ------------------------------------------------------------------ consents
export const consentValidators = defineTable(consents, {
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
export const consentInsertSchema: (typeof consentValidators)['insert'] = consentValidators.insert;
export const consentUpdateSchema: (typeof consentValidators)['update'] = consentValidators.update;
export const consentSelectSchema: (typeof consentValidators)['select'] = consentValidators.select;
export type ConsentInsert = z.output<typeof consentInsertSchema>;
export type ConsentInsertInput = z.input<typeof consentInsertSchema>;
export type ConsentUpdate = z.output<typeof consentUpdateSchema>;
export type ConsentUpdateInput = z.input<typeof consentUpdateSchema>;
export type ConsentSelect = z.output<typeof consentSelectSchema>;
