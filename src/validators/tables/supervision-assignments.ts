/** `therapy-db/validators/supervision-assignments`: the validators of `public.supervision_assignments`. */
import type { z } from 'zod';
import { nonEmptyRange } from '../range';
import { rule } from '../rules';
import { must } from '../label';
import { supervisionAssignmentsColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const supervisionAssignmentSchemas = tableSchemas(supervisionAssignmentsColumns, {
  server: ['id', 'createdAt'],
  columns: {
    activeDuring: (s) => s.check(nonEmptyRange('daterange')),
  },
  rules: [
    rule({
      constraint: 'supervision_assignments_no_self_supervision_check',
      reads: ['supervisorId', 'superviseeId'],
      path: 'superviseeId',
      message: 'supervisee_id must not be the supervisor_id (no self-supervision)',
      holds: (row) => row.supervisorId !== row.superviseeId,
    }),
  ],
});
export const supervisionAssignmentInsertSchema: (typeof supervisionAssignmentSchemas)['insert'] = supervisionAssignmentSchemas.insert;
export const supervisionAssignmentUpdateSchema: (typeof supervisionAssignmentSchemas)['update'] = supervisionAssignmentSchemas.update;
export const supervisionAssignmentSelectSchema: (typeof supervisionAssignmentSchemas)['select'] = supervisionAssignmentSchemas.select;
export type SupervisionAssignmentInsert = z.output<typeof supervisionAssignmentInsertSchema>;
export type SupervisionAssignmentInsertInput = z.input<typeof supervisionAssignmentInsertSchema>;
export type SupervisionAssignmentUpdate = z.output<typeof supervisionAssignmentUpdateSchema>;
export type SupervisionAssignmentUpdateInput = z.input<typeof supervisionAssignmentUpdateSchema>;
export type SupervisionAssignmentSelect = z.output<typeof supervisionAssignmentSelectSchema>;
