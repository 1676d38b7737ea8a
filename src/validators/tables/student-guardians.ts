/** `therapy-db/validators/student-guardians`: the validators of `public.student_guardians`. */
import type { z } from 'zod';
import { studentGuardiansColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const studentGuardianSchemas = tableSchemas(studentGuardiansColumns, {
  server: ['createdAt'],
});
export const studentGuardianInsertSchema: (typeof studentGuardianSchemas)['insert'] = studentGuardianSchemas.insert;
export const studentGuardianUpdateSchema: (typeof studentGuardianSchemas)['update'] = studentGuardianSchemas.update;
export const studentGuardianSelectSchema: (typeof studentGuardianSchemas)['select'] = studentGuardianSchemas.select;
export type StudentGuardianInsert = z.output<typeof studentGuardianInsertSchema>;
export type StudentGuardianInsertInput = z.input<typeof studentGuardianInsertSchema>;
export type StudentGuardianUpdate = z.output<typeof studentGuardianUpdateSchema>;
export type StudentGuardianUpdateInput = z.input<typeof studentGuardianUpdateSchema>;
export type StudentGuardianSelect = z.output<typeof studentGuardianSelectSchema>;
