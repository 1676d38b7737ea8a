/** `therapy-db/validators/organizations`: the validators of `public.organizations`. */
import type { z } from 'zod';
import { matches, trimmedLength } from '../text';
import { organizationsColumns } from '../described-tables';
import { stateCodeDescription, stateCodePattern } from '../patterns';
import { tableSchemas } from '../table';

export const organizationSchemas = tableSchemas(organizationsColumns, {
  server: ['id', 'createdAt', 'updatedAt', 'deletedAt'],
  columns: {
    name: (s) => s.check(trimmedLength(2, 200)),
    slug: (s) => s.check(matches(/^[a-z0-9][a-z0-9-]{1,62}$/, '2 to 63 lowercase letters, digits or hyphens, starting with a letter or digit')),
    stateCode: (s) => s.check(matches(stateCodePattern, stateCodeDescription)),
    npi: (s) => s.check(matches(/^[0-9]{10}$/, '10 digits')),
  },
});
export const organizationInsertSchema: (typeof organizationSchemas)['insert'] = organizationSchemas.insert;
export const organizationUpdateSchema: (typeof organizationSchemas)['update'] = organizationSchemas.update;
export const organizationSelectSchema: (typeof organizationSchemas)['select'] = organizationSchemas.select;
export type OrganizationInsert = z.output<typeof organizationInsertSchema>;
export type OrganizationInsertInput = z.input<typeof organizationInsertSchema>;
export type OrganizationUpdate = z.output<typeof organizationUpdateSchema>;
export type OrganizationUpdateInput = z.input<typeof organizationUpdateSchema>;
export type OrganizationSelect = z.output<typeof organizationSelectSchema>;
