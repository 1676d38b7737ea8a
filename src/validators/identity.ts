import type { z } from 'zod';
import { organizationMembers, organizations, profiles, schools } from '../schema/identity';
import { rule } from './rules';
import { defineTable } from './table';
import { emailAddress, length, matches, trimmedLength } from './text';

/** `^\+[1-9][0-9]{6,14}$`: the E.164 pattern of profiles.phone and guardians.phone. */
export const e164Pattern = /^\+[1-9][0-9]{6,14}$/;
export const e164Description = 'an E.164 phone number: + and 7 to 15 digits (e.g. +15035550123)';
/** `^[A-Z]{2}$`: a US state code (organizations.state_code, therapists.license_state). */
export const stateCodePattern = /^[A-Z]{2}$/;
export const stateCodeDescription = 'two capital letters (e.g. OR)';

// ------------------------------------------------------------------ organizations
export const organizationValidators = defineTable(organizations, {
  server: ['id', 'createdAt', 'updatedAt', 'deletedAt'],
  columns: {
    name: (s) => s.check(trimmedLength(2, 200)),
    slug: (s) => s.check(matches(/^[a-z0-9][a-z0-9-]{1,62}$/, '2 to 63 lowercase letters, digits or hyphens, starting with a letter or digit')),
    stateCode: (s) => s.check(matches(stateCodePattern, stateCodeDescription)),
    npi: (s) => s.check(matches(/^[0-9]{10}$/, '10 digits')),
  },
});
export const organizationInsertSchema: (typeof organizationValidators)['insert'] = organizationValidators.insert;
export const organizationUpdateSchema: (typeof organizationValidators)['update'] = organizationValidators.update;
export const organizationSelectSchema: (typeof organizationValidators)['select'] = organizationValidators.select;
export type OrganizationInsert = z.output<typeof organizationInsertSchema>;
export type OrganizationInsertInput = z.input<typeof organizationInsertSchema>;
export type OrganizationUpdate = z.output<typeof organizationUpdateSchema>;
export type OrganizationUpdateInput = z.input<typeof organizationUpdateSchema>;
export type OrganizationSelect = z.output<typeof organizationSelectSchema>;

// ------------------------------------------------------------------ schools
export const schoolValidators = defineTable(schools, {
  server: ['id', 'createdAt', 'deletedAt'],
  columns: {
    name: (s) => s.check(trimmedLength(2, 200)),
    ncesSchoolId: (s) => s.check(matches(/^[0-9]{12}$/, '12 digits (the NCES school id)')),
  },
});
export const schoolInsertSchema: (typeof schoolValidators)['insert'] = schoolValidators.insert;
export const schoolUpdateSchema: (typeof schoolValidators)['update'] = schoolValidators.update;
export const schoolSelectSchema: (typeof schoolValidators)['select'] = schoolValidators.select;
export type SchoolInsert = z.output<typeof schoolInsertSchema>;
export type SchoolInsertInput = z.input<typeof schoolInsertSchema>;
export type SchoolUpdate = z.output<typeof schoolUpdateSchema>;
export type SchoolUpdateInput = z.input<typeof schoolUpdateSchema>;
export type SchoolSelect = z.output<typeof schoolSelectSchema>;

// ------------------------------------------------------------------ profiles
export const profileValidators = defineTable(profiles, {
  // `id` is the auth user's id, given by whoever creates the profile; `is_platform_admin` is the
  // platform's to grant (API roles are refused by a trigger; the validators refuse it for everyone).
  server: ['createdAt', 'updatedAt', 'isPlatformAdmin'],
  columns: {
    displayName: (s) => s.check(length(1, 120)),
    email: (s) => s.check(emailAddress()),
    phone: (s) => s.check(matches(e164Pattern, e164Description)),
  },
});
export const profileInsertSchema: (typeof profileValidators)['insert'] = profileValidators.insert;
export const profileUpdateSchema: (typeof profileValidators)['update'] = profileValidators.update;
export const profileSelectSchema: (typeof profileValidators)['select'] = profileValidators.select;
export type ProfileInsert = z.output<typeof profileInsertSchema>;
export type ProfileInsertInput = z.input<typeof profileInsertSchema>;
export type ProfileUpdate = z.output<typeof profileUpdateSchema>;
export type ProfileUpdateInput = z.input<typeof profileUpdateSchema>;
export type ProfileSelect = z.output<typeof profileSelectSchema>;

// ------------------------------------------------------------------ organization_members
export const organizationMemberValidators = defineTable(organizationMembers, {
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
export const organizationMemberInsertSchema: (typeof organizationMemberValidators)['insert'] = organizationMemberValidators.insert;
export const organizationMemberUpdateSchema: (typeof organizationMemberValidators)['update'] = organizationMemberValidators.update;
export const organizationMemberSelectSchema: (typeof organizationMemberValidators)['select'] = organizationMemberValidators.select;
export type OrganizationMemberInsert = z.output<typeof organizationMemberInsertSchema>;
export type OrganizationMemberInsertInput = z.input<typeof organizationMemberInsertSchema>;
export type OrganizationMemberUpdate = z.output<typeof organizationMemberUpdateSchema>;
export type OrganizationMemberUpdateInput = z.input<typeof organizationMemberUpdateSchema>;
export type OrganizationMemberSelect = z.output<typeof organizationMemberSelectSchema>;
