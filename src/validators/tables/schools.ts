/** `therapy-db/validators/schools`: the validators of `public.schools`. */
import type { z } from 'zod';
import { matches, trimmedLength } from '../text';
import { schoolsColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const schoolSchemas = tableSchemas(schoolsColumns, {
  server: ['id', 'createdAt', 'deletedAt'],
  columns: {
    name: (s) => s.check(trimmedLength(2, 200)),
    ncesSchoolId: (s) => s.check(matches(/^[0-9]{12}$/, '12 digits (the NCES school id)')),
  },
});
export const schoolInsertSchema: (typeof schoolSchemas)['insert'] = schoolSchemas.insert;
export const schoolUpdateSchema: (typeof schoolSchemas)['update'] = schoolSchemas.update;
export const schoolSelectSchema: (typeof schoolSchemas)['select'] = schoolSchemas.select;
export type SchoolInsert = z.output<typeof schoolInsertSchema>;
export type SchoolInsertInput = z.input<typeof schoolInsertSchema>;
export type SchoolUpdate = z.output<typeof schoolUpdateSchema>;
export type SchoolUpdateInput = z.input<typeof schoolUpdateSchema>;
export type SchoolSelect = z.output<typeof schoolSelectSchema>;
