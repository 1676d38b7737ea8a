/** `therapy-db/validators/service-plans`: the validators of `public.service_plans`. */
import type { z } from 'zod';
import { nonEmptyRange } from '../range';
import { servicePlansColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const servicePlanSchemas = tableSchemas(servicePlansColumns, {
  server: ['id', 'createdAt'],
  columns: {
    effectiveDuring: (s) => s.check(nonEmptyRange('daterange')),
  },
});
export const servicePlanInsertSchema: (typeof servicePlanSchemas)['insert'] = servicePlanSchemas.insert;
export const servicePlanUpdateSchema: (typeof servicePlanSchemas)['update'] = servicePlanSchemas.update;
export const servicePlanSelectSchema: (typeof servicePlanSchemas)['select'] = servicePlanSchemas.select;
export type ServicePlanInsert = z.output<typeof servicePlanInsertSchema>;
export type ServicePlanInsertInput = z.input<typeof servicePlanInsertSchema>;
export type ServicePlanUpdate = z.output<typeof servicePlanUpdateSchema>;
export type ServicePlanUpdateInput = z.input<typeof servicePlanUpdateSchema>;
export type ServicePlanSelect = z.output<typeof servicePlanSelectSchema>;
