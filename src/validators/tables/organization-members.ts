/** `therapy-db/validators/organization-members`: the validators of `public.organization_members`. */
import type { z } from 'zod';
import { rule } from '../rules';
import { organizationMembersColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const organizationMemberSchemas = tableSchemas(organizationMembersColumns, {
  server: ['id', 'createdAt', 'updatedAt'],
  rules: [
    rule({
      constraint: 'organization_members_school_staff_school_check',
      reads: ['role', 'schoolId'],
      path: 'schoolId',
      message: 'school_id is required when role is school_staff',
      holds: (row) => row.role !== 'school_staff' || row.schoolId !== null,
    }),
  ],
});
export const organizationMemberInsertSchema: (typeof organizationMemberSchemas)['insert'] = organizationMemberSchemas.insert;
export const organizationMemberUpdateSchema: (typeof organizationMemberSchemas)['update'] = organizationMemberSchemas.update;
export const organizationMemberSelectSchema: (typeof organizationMemberSchemas)['select'] = organizationMemberSchemas.select;
export type OrganizationMemberInsert = z.output<typeof organizationMemberInsertSchema>;
export type OrganizationMemberInsertInput = z.input<typeof organizationMemberInsertSchema>;
export type OrganizationMemberUpdate = z.output<typeof organizationMemberUpdateSchema>;
export type OrganizationMemberUpdateInput = z.input<typeof organizationMemberUpdateSchema>;
export type OrganizationMemberSelect = z.output<typeof organizationMemberSelectSchema>;
