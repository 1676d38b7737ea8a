/** `therapy-db/validators/profiles`: the validators of `public.profiles`. */
import type { z } from 'zod';
import { emailAddress, length, matches } from '../text';
import { profilesColumns } from '../described-tables';
import { e164Description, e164Pattern } from '../patterns';
import { tableSchemas } from '../table';

export const profileSchemas = tableSchemas(profilesColumns, {
  // `id` is the auth user's id, given by whoever creates the profile; `is_platform_admin` is the
  // platform's to grant (API roles are refused by a trigger; the validators refuse it for everyone).
  server: ['createdAt', 'updatedAt', 'isPlatformAdmin'],
  columns: {
    displayName: (s) => s.check(length(1, 120)),
    email: (s) => s.check(emailAddress()),
    phone: (s) => s.check(matches(e164Pattern, e164Description)),
  },
});
export const profileInsertSchema: (typeof profileSchemas)['insert'] = profileSchemas.insert;
export const profileUpdateSchema: (typeof profileSchemas)['update'] = profileSchemas.update;
export const profileSelectSchema: (typeof profileSchemas)['select'] = profileSchemas.select;
export type ProfileInsert = z.output<typeof profileInsertSchema>;
export type ProfileInsertInput = z.input<typeof profileInsertSchema>;
export type ProfileUpdate = z.output<typeof profileUpdateSchema>;
export type ProfileUpdateInput = z.input<typeof profileUpdateSchema>;
export type ProfileSelect = z.output<typeof profileSelectSchema>;
