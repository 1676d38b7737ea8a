/** `therapy-db/validators/guardians`: the validators of `public.guardians`. */
import type { z } from 'zod';
import { emailAddress, matches } from '../text';
import { e164Description, e164Pattern, personName } from '../patterns';
import { guardiansColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const guardianSchemas = tableSchemas(guardiansColumns, {
  server: ['id', 'createdAt', 'deletedAt'],
  columns: {
    firstName: (s) => s.check(personName()),
    lastName: (s) => s.check(personName()),
    email: (s) => s.check(emailAddress()),
    phone: (s) => s.check(matches(e164Pattern, e164Description)),
  },
});
export const guardianInsertSchema: (typeof guardianSchemas)['insert'] = guardianSchemas.insert;
export const guardianUpdateSchema: (typeof guardianSchemas)['update'] = guardianSchemas.update;
export const guardianSelectSchema: (typeof guardianSchemas)['select'] = guardianSchemas.select;
export type GuardianInsert = z.output<typeof guardianInsertSchema>;
export type GuardianInsertInput = z.input<typeof guardianInsertSchema>;
export type GuardianUpdate = z.output<typeof guardianUpdateSchema>;
export type GuardianUpdateInput = z.input<typeof guardianUpdateSchema>;
export type GuardianSelect = z.output<typeof guardianSelectSchema>;
