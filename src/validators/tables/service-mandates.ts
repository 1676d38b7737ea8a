/** `therapy-db/validators/service-mandates`: the validators of `public.service_mandates`. */
import type { z } from 'zod';
import { between } from '../numeric';
import { nonEmptyRange } from '../range';
import { serviceMandatesColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const serviceMandateSchemas = tableSchemas(serviceMandatesColumns, {
  // student_id is the plan's, copied by the service_mandates_student_of_plan trigger.
  server: ['id', 'studentId', 'createdAt'],
  columns: {
    minutesPerSession: (s) => s.check(between(5, 240)),
    sessionsPerPeriod: (s) => s.check(between(1, 31)),
    groupSizeMax: (s) => s.check(between(1, 8)),
    effectiveDuring: (s) => s.check(nonEmptyRange('daterange')),
  },
});
export const serviceMandateInsertSchema: (typeof serviceMandateSchemas)['insert'] = serviceMandateSchemas.insert;
export const serviceMandateUpdateSchema: (typeof serviceMandateSchemas)['update'] = serviceMandateSchemas.update;
export const serviceMandateSelectSchema: (typeof serviceMandateSchemas)['select'] = serviceMandateSchemas.select;
export type ServiceMandateInsert = z.output<typeof serviceMandateInsertSchema>;
export type ServiceMandateInsertInput = z.input<typeof serviceMandateInsertSchema>;
export type ServiceMandateUpdate = z.output<typeof serviceMandateUpdateSchema>;
export type ServiceMandateUpdateInput = z.input<typeof serviceMandateUpdateSchema>;
export type ServiceMandateSelect = z.output<typeof serviceMandateSelectSchema>;
