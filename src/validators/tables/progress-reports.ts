/** `therapy-db/validators/progress-reports`: the validators of `public.progress_reports`. */
import type { z } from 'zod';
import { nonEmptyRange } from '../range';
import { rule } from '../rules';
import { progressReportsColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const progressReportSchemas = tableSchemas(progressReportsColumns, {
  server: ['id'],
  columns: {
    reportingPeriod: (s) => s.check(nonEmptyRange('daterange')),
  },
  rules: [
    rule({
      constraint: 'progress_reports_finalized_check',
      reads: ['status', 'finalizedAt'],
      path: 'finalizedAt',
      message: 'finalized_at is required unless status is draft',
      holds: (row) => row.status === 'draft' || row.finalizedAt !== null,
    }),
    rule({
      constraint: 'progress_reports_shared_check',
      reads: ['status', 'sharedWithGuardiansAt'],
      path: 'sharedWithGuardiansAt',
      message: 'shared_with_guardians_at is required when status is shared, and only then',
      holds: (row) => (row.status === 'shared') === (row.sharedWithGuardiansAt !== null),
    }),
  ],
});
export const progressReportInsertSchema: (typeof progressReportSchemas)['insert'] = progressReportSchemas.insert;
export const progressReportUpdateSchema: (typeof progressReportSchemas)['update'] = progressReportSchemas.update;
export const progressReportSelectSchema: (typeof progressReportSchemas)['select'] = progressReportSchemas.select;
export type ProgressReportInsert = z.output<typeof progressReportInsertSchema>;
export type ProgressReportInsertInput = z.input<typeof progressReportInsertSchema>;
export type ProgressReportUpdate = z.output<typeof progressReportUpdateSchema>;
export type ProgressReportUpdateInput = z.input<typeof progressReportUpdateSchema>;
export type ProgressReportSelect = z.output<typeof progressReportSelectSchema>;
