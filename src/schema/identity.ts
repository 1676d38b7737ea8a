import { relations, sql } from 'drizzle-orm';
import { boolean, check, char, foreignKey, index, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { authUsers } from 'drizzle-orm/supabase';
import { memberRoles, memberStatuses, orgTypes, timeZones } from './codes';
import { createdAt, deletedAt, emailCheck, oneOf, trimmedLength, updatedAt } from './columns';
import { caseloadAssignments, consents, serviceMandates, servicePlans } from './caseload';
import { conversationParticipants, conversations } from './chat';
import { documents } from './files';
import { guardians, students, therapists } from './people';
import { notifications } from './notifications';
import { calendarBlackouts, sessionSeries, sessionTypes, therapySessions } from './scheduling';
import { webhookSubscriptions } from './integrations';
import { billingCodes } from './billing';

// ------------------------------------------------------------------ organizations
/** The tenant: a district, charter school, private school, clinic or contract agency. */
export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    orgType: text('org_type', { enum: orgTypes }).notNull(),
    stateCode: char('state_code', { length: 2 }),
    timezone: text('timezone', { enum: timeZones }).notNull().default('America/New_York'),
    npi: text('npi'),
    medicaidProviderId: text('medicaid_provider_id'),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    unique('organizations_slug_key').on(t.slug),
    trimmedLength('organizations_name_check', t.name, 2, 200),
    check('organizations_slug_check', sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]{1,62}$'`),
    oneOf('organizations_org_type_check', t.orgType, orgTypes),
    check('organizations_state_code_check', sql`${t.stateCode} ~ '^[A-Z]{2}$'`),
    check('organizations_npi_check', sql`${t.npi} ~ '^\\d{10}$'`),
    check('organizations_settings_check', sql`jsonb_typeof(${t.settings}) = 'object'`),
    oneOf('organizations_timezone_check', t.timezone, timeZones),
    // Every RLS helper's counting memberships: is the member's organisation soft-deleted? (Few are.)
    index('organizations_id_deleted_idx').on(t.id).where(sql`${t.deletedAt} is not null`),
  ],
).enableRLS();

// ------------------------------------------------------------------ schools
/** A campus of an organisation; students, staff memberships and sessions may belong to one. */
export const schools = pgTable(
  'schools',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    name: text('name').notNull(),
    ncesSchoolId: text('nces_school_id'),
    address: jsonb('address').$type<Record<string, unknown>>(),
    timezone: text('timezone', { enum: timeZones }),
    createdAt: createdAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    foreignKey({ name: 'schools_organization_id_fkey', columns: [t.organizationId], foreignColumns: [organizations.id] }).onDelete('restrict'),
    // Target of the children's composite (organization_id, school_id) FKs; also leads the org index.
    unique('schools_organization_id_id_key').on(t.organizationId, t.id),
    unique('schools_organization_id_name_key').on(t.organizationId, t.name),
    trimmedLength('schools_name_check', t.name, 2, 200),
    check('schools_nces_school_id_check', sql`${t.ncesSchoolId} ~ '^\\d{12}$'`),
    check('schools_address_check', sql`${t.address} is null or jsonb_typeof(${t.address}) = 'object'`),
    oneOf('schools_timezone_check', t.timezone, timeZones),
    // app.soft_deleted_ids() and the helpers' dead students: an organisation's soft-deleted schools (few).
    index('schools_organization_id_deleted_idx').on(t.organizationId).where(sql`${t.deletedAt} is not null`),
  ],
).enableRLS();

// ------------------------------------------------------------------ profiles
/** One row per Supabase auth user: the person's name and contact details. */
export const profiles = pgTable(
  'profiles',
  {
    id: uuid('id').primaryKey(),
    displayName: text('display_name').notNull(),
    email: text('email'),
    phone: text('phone'),
    avatarPath: text('avatar_path'),
    locale: text('locale').notNull().default('en'),
    isPlatformAdmin: boolean('is_platform_admin').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
  },
  (t) => [
    foreignKey({ name: 'profiles_id_fkey', columns: [t.id], foreignColumns: [authUsers.id] }).onDelete('cascade'),
    check('profiles_display_name_check', sql`char_length(${t.displayName}) between 1 and 120`),
    check('profiles_phone_check', sql`${t.phone} ~ '^\\+[1-9]\\d{6,14}$'`),
    emailCheck('profiles_email_check', t.email),
  ],
).enableRLS();

// ------------------------------------------------------------------ organization_members
/** A user's app role in an organisation; the RLS helpers read these rows. */
export const organizationMembers = pgTable(
  'organization_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    userId: uuid('user_id').notNull(),
    role: text('role', { enum: memberRoles }).notNull(),
    schoolId: uuid('school_id'),
    status: text('status', { enum: memberStatuses }).notNull().default('active'),
    invitedBy: uuid('invited_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({ name: 'organization_members_organization_id_fkey', columns: [t.organizationId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    foreignKey({ name: 'organization_members_user_id_fkey', columns: [t.userId], foreignColumns: [profiles.id] }).onDelete('cascade'),
    foreignKey({
      name: 'organization_members_organization_id_school_id_fkey',
      columns: [t.organizationId, t.schoolId],
      foreignColumns: [schools.organizationId, schools.id],
    }).onDelete('cascade'),
    foreignKey({ name: 'organization_members_invited_by_fkey', columns: [t.invitedBy], foreignColumns: [profiles.id] }).onDelete('set null'),
    unique('organization_members_organization_id_user_id_role_key').on(t.organizationId, t.userId, t.role),
    oneOf('organization_members_role_check', t.role, memberRoles),
    oneOf('organization_members_status_check', t.status, memberStatuses),
    check('organization_members_school_staff_school_check', sql`${t.role} <> 'school_staff' or ${t.schoolId} is not null`),
    // app.org_ids(): `user_id = auth.uid() and status = 'active' and role = any(...)`, answered from
    // the index alone; also leads the user_id FK (so not partial, unlike the reference's).
    index('organization_members_user_id_status_role_organization_id_idx').on(t.userId, t.status, t.role, t.organizationId),
    index('organization_members_organization_id_school_id_idx').on(t.organizationId, t.schoolId),
    index('organization_members_invited_by_idx').on(t.invitedBy).where(sql`${t.invitedBy} is not null`),
  ],
).enableRLS();

// ------------------------------------------------------------------ relations
export const organizationsRelations = relations(organizations, ({ many }) => ({
  schools: many(schools),
  members: many(organizationMembers),
  students: many(students),
  guardians: many(guardians),
  caseloadAssignments: many(caseloadAssignments),
  servicePlans: many(servicePlans),
  serviceMandates: many(serviceMandates),
  consents: many(consents),
  sessionTypes: many(sessionTypes),
  sessionSeries: many(sessionSeries),
  therapySessions: many(therapySessions),
  calendarBlackouts: many(calendarBlackouts),
  conversations: many(conversations),
  documents: many(documents),
  billingCodes: many(billingCodes),
  notifications: many(notifications),
  webhookSubscriptions: many(webhookSubscriptions),
}));

export const schoolsRelations = relations(schools, ({ one, many }) => ({
  organization: one(organizations, { fields: [schools.organizationId], references: [organizations.id] }),
  members: many(organizationMembers),
  students: many(students),
  sessionSeries: many(sessionSeries),
  therapySessions: many(therapySessions),
  calendarBlackouts: many(calendarBlackouts),
}));

export const profilesRelations = relations(profiles, ({ one, many }) => ({
  /** Present when the user is a therapist (`therapists.id = profiles.id`). */
  therapist: one(therapists),
  memberships: many(organizationMembers, { relationName: 'member_user' }),
  invitedMembers: many(organizationMembers, { relationName: 'member_invited_by' }),
  studentLogins: many(students),
  guardianLogins: many(guardians),
  conversationParticipations: many(conversationParticipants),
  notifications: many(notifications),
}));

export const organizationMembersRelations = relations(organizationMembers, ({ one }) => ({
  organization: one(organizations, { fields: [organizationMembers.organizationId], references: [organizations.id] }),
  user: one(profiles, { fields: [organizationMembers.userId], references: [profiles.id], relationName: 'member_user' }),
  school: one(schools, { fields: [organizationMembers.schoolId], references: [schools.id] }),
  invitedByProfile: one(profiles, { fields: [organizationMembers.invitedBy], references: [profiles.id], relationName: 'member_invited_by' }),
}));
