/** `therapy-db/validators/students`: the validators of `public.students`. */
import type { z } from 'zod';
import { textRule } from '../text';
import { must } from '../label';
import { studentsColumns } from '../described-tables';
import { personName } from '../patterns';
import { tableSchemas } from '../table';

export const studentSchemas = tableSchemas(studentsColumns, {
  server: ['id', 'createdAt', 'updatedAt', 'deletedAt'],
  columns: {
    firstName: (s) => s.check(personName()),
    lastName: (s) => s.check(personName()),
    dateOfBirth: (s) => s.check(textRule((value) => value > '1995-01-01', must('be after 1995-01-01'))),
  },
});
export const studentInsertSchema: (typeof studentSchemas)['insert'] = studentSchemas.insert;
export const studentUpdateSchema: (typeof studentSchemas)['update'] = studentSchemas.update;
export const studentSelectSchema: (typeof studentSchemas)['select'] = studentSchemas.select;
export type StudentInsert = z.output<typeof studentInsertSchema>;
export type StudentInsertInput = z.input<typeof studentInsertSchema>;
export type StudentUpdate = z.output<typeof studentUpdateSchema>;
export type StudentUpdateInput = z.input<typeof studentUpdateSchema>;
export type StudentSelect = z.output<typeof studentSelectSchema>;
