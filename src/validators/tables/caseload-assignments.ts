/** `therapy-db/validators/caseload-assignments`: the validators of `public.caseload_assignments`. */
import type { z } from 'zod';
import { ordered } from '../rules';
import { caseloadAssignmentsColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const caseloadAssignmentSchemas = tableSchemas(caseloadAssignmentsColumns, {
  server: ['id', 'createdAt'],
  // starts_on defaults to current_date: with it omitted, only the database knows today's date.
  rules: [ordered('caseload_assignments_ends_after_starts_check', 'endsOn', 'startsOn', { orEqual: true })],
});
export const caseloadAssignmentInsertSchema: (typeof caseloadAssignmentSchemas)['insert'] = caseloadAssignmentSchemas.insert;
export const caseloadAssignmentUpdateSchema: (typeof caseloadAssignmentSchemas)['update'] = caseloadAssignmentSchemas.update;
export const caseloadAssignmentSelectSchema: (typeof caseloadAssignmentSchemas)['select'] = caseloadAssignmentSchemas.select;
export type CaseloadAssignmentInsert = z.output<typeof caseloadAssignmentInsertSchema>;
export type CaseloadAssignmentInsertInput = z.input<typeof caseloadAssignmentInsertSchema>;
export type CaseloadAssignmentUpdate = z.output<typeof caseloadAssignmentUpdateSchema>;
export type CaseloadAssignmentUpdateInput = z.input<typeof caseloadAssignmentUpdateSchema>;
export type CaseloadAssignmentSelect = z.output<typeof caseloadAssignmentSelectSchema>;
