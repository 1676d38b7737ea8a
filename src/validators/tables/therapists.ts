/** `therapy-db/validators/therapists`: the validators of `public.therapists`. */
import type { z } from 'zod';
import { bothOrNeither } from '../rules';
import { matches } from '../text';
import { stateCodeDescription, stateCodePattern } from '../patterns';
import { therapistsColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const therapistSchemas = tableSchemas(therapistsColumns, {
  // `id` is the therapist's profile id; `requires_supervision` is generated from the credential.
  server: ['createdAt'],
  columns: {
    npi: (s) => s.check(matches(/^[0-9]{10}$/, '10 digits')),
    // char(2): checked on the stored value, so 'O' (stored 'O ') fails like the database's CHECK.
    licenseState: (s) => s.check(matches(stateCodePattern, stateCodeDescription)),
  },
  rules: [bothOrNeither('therapists_license_fields_check', 'licenseNumber', 'licenseState')],
});
export const therapistInsertSchema: (typeof therapistSchemas)['insert'] = therapistSchemas.insert;
export const therapistUpdateSchema: (typeof therapistSchemas)['update'] = therapistSchemas.update;
export const therapistSelectSchema: (typeof therapistSchemas)['select'] = therapistSchemas.select;
export type TherapistInsert = z.output<typeof therapistInsertSchema>;
export type TherapistInsertInput = z.input<typeof therapistInsertSchema>;
export type TherapistUpdate = z.output<typeof therapistUpdateSchema>;
export type TherapistUpdateInput = z.input<typeof therapistUpdateSchema>;
export type TherapistSelect = z.output<typeof therapistSelectSchema>;
