import { relations, sql } from 'drizzle-orm';
import { check, date, foreignKey, index, numeric, pgTable, smallint, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { chargeStatuses, codeSystems, disciplines, payers, unitRules } from './codes';
import { createdAt, daterange, oneOf } from './columns';
import { organizations } from './identity';
import { students, therapists } from './people';
import { sessionParticipants, sessionTypes } from './scheduling';
import { sessionNotes } from './documentation';

// ------------------------------------------------------------------ billing_codes
/**
 * CPT / HCPCS / state billing codes with their unit rule. Rows with `organization_id` null are the
 * global catalogue; an organisation may override a code with its own row.
 */
export const billingCodes = pgTable(
  'billing_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id'),
    codeSystem: text('code_system', { enum: codeSystems }).notNull().default('CPT'),
    code: text('code').notNull(),
    description: text('description').notNull(),
    discipline: text('discipline', { enum: disciplines }),
    unitRule: text('unit_rule', { enum: unitRules }).notNull(),
    minMinutes: smallint('min_minutes'),
    maxMinutes: smallint('max_minutes'),
    defaultModifiers: text('default_modifiers').array().notNull().default(sql`'{}'::text[]`),
    effectiveDuring: daterange('effective_during').notNull().default(sql`daterange(current_date, null)`),
  },
  (t) => [
    foreignKey({ name: 'billing_codes_organization_id_fkey', columns: [t.organizationId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    // nulls not distinct: the global catalogue (organization_id null) cannot hold a code twice either.
    unique('billing_codes_organization_id_code_effective_during_key')
      .on(t.organizationId, t.codeSystem, t.code, t.effectiveDuring)
      .nullsNotDistinct(),
    oneOf('billing_codes_code_system_check', t.codeSystem, codeSystems),
    check('billing_codes_code_check', sql`${t.code} ~ '^[A-Z0-9]{4,7}$'`),
    oneOf('billing_codes_discipline_check', t.discipline, disciplines),
    oneOf('billing_codes_unit_rule_check', t.unitRule, unitRules),
    check('billing_codes_minutes_range_check', sql`${t.minMinutes} is null or ${t.maxMinutes} is null or ${t.minMinutes} <= ${t.maxMinutes}`),
    // array_position refuses a multidimensional array outright (SQLSTATE 0A000).
    check('billing_codes_default_modifiers_check', sql`cardinality(${t.defaultModifiers}) <= 4 and array_position(${t.defaultModifiers}, null) is null`),
  ],
).enableRLS();

// ------------------------------------------------------------------ service_charges
/**
 * A billable line for one participant of a session, backed by the signed note. `units` is derived
 * by the database (15-minute rule), never written by clients.
 */
export const serviceCharges = pgTable(
  'service_charges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').notNull(),
    sessionId: uuid('session_id').notNull(),
    studentId: uuid('student_id').notNull(),
    noteId: uuid('note_id').notNull(),
    billingCodeId: uuid('billing_code_id').notNull(),
    unitRule: text('unit_rule', { enum: unitRules }).notNull(),
    modifiers: text('modifiers').array().notNull().default(sql`'{}'::text[]`),
    renderingProviderId: uuid('rendering_provider_id').notNull(),
    supervisingProviderId: uuid('supervising_provider_id'),
    serviceDate: date('service_date', { mode: 'string' }).notNull(),
    billableMinutes: smallint('billable_minutes').notNull(),
    // CMS 8-minute rule: 8..22 min → 1 unit, 23..37 → 2, 38..52 → 3, 53..67 → 4; 0 below 8.
    units: smallint('units').generatedAlwaysAs(
      sql`case when unit_rule = 'timed_15min' then (billable_minutes + 7) / 15 else 1 end`,
    ),
    payer: text('payer', { enum: payers }).notNull().default('medicaid'),
    status: text('status', { enum: chargeStatuses }).notNull().default('pending'),
    claimReference: text('claim_reference'),
    amountBilled: numeric('amount_billed', { precision: 10, scale: 2 }),
    amountPaid: numeric('amount_paid', { precision: 10, scale: 2 }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: 'service_charges_session_id_student_id_fkey',
      columns: [t.sessionId, t.studentId],
      foreignColumns: [sessionParticipants.sessionId, sessionParticipants.studentId],
    }).onDelete('restrict'),
    // Not in the reference model: pins organization_id to the student's organisation.
    foreignKey({
      name: 'service_charges_organization_id_student_id_fkey',
      columns: [t.organizationId, t.studentId],
      foreignColumns: [students.organizationId, students.id],
    }).onDelete('restrict'),
    foreignKey({
      name: 'service_charges_organization_id_note_id_fkey',
      columns: [t.organizationId, t.noteId],
      foreignColumns: [sessionNotes.organizationId, sessionNotes.id],
    }).onDelete('restrict'),
    foreignKey({ name: 'service_charges_billing_code_id_fkey', columns: [t.billingCodeId], foreignColumns: [billingCodes.id] }).onDelete('restrict'),
    foreignKey({
      name: 'service_charges_rendering_provider_id_fkey',
      columns: [t.renderingProviderId],
      foreignColumns: [therapists.id],
    }).onDelete('restrict'),
    foreignKey({
      name: 'service_charges_supervising_provider_id_fkey',
      columns: [t.supervisingProviderId],
      foreignColumns: [therapists.id],
    }).onDelete('restrict'),
    oneOf('service_charges_unit_rule_check', t.unitRule, unitRules),
    check('service_charges_modifiers_check', sql`cardinality(${t.modifiers}) <= 4 and array_position(${t.modifiers}, null) is null`),
    check('service_charges_billable_minutes_check', sql`${t.billableMinutes} between 1 and 480`),
    oneOf('service_charges_payer_check', t.payer, payers),
    oneOf('service_charges_status_check', t.status, chargeStatuses),
    // NaN is a numeric value, and greater than every number: 'NaN' >= 0 is true.
    check('service_charges_amount_billed_check', sql`${t.amountBilled} >= 0 and ${t.amountBilled} <> 'NaN'`),
    check('service_charges_amount_paid_check', sql`${t.amountPaid} >= 0 and ${t.amountPaid} <> 'NaN'`),
    // A charge that goes anywhere must be worth at least one unit.
    check('service_charges_units_check', sql`${t.status} in ('pending', 'void') or ${t.units} > 0`),
    check(
      'service_charges_submitted_at_check',
      sql`${t.status} not in ('submitted', 'paid', 'denied') or ${t.submittedAt} is not null`,
    ),
    // One live charge per participant and code.
    uniqueIndex('service_charges_one_per_code_key')
      .on(t.sessionId, t.studentId, t.billingCodeId)
      .where(sql`${t.status} <> 'void'`),
    // Leads the participant FK; the partial unique index above cannot serve its checks.
    index('service_charges_session_id_student_id_idx').on(t.sessionId, t.studentId),
    index('service_charges_organization_id_status_service_date_idx').on(t.organizationId, t.status, t.serviceDate),
    // An organisation's charges of a period, every status (the monthly billing rollup): the index above
    // reads every status's whole history to find one month.
    index('service_charges_organization_id_service_date_idx').on(t.organizationId, t.serviceDate),
    index('service_charges_organization_id_student_id_idx').on(t.organizationId, t.studentId),
    index('service_charges_organization_id_note_id_idx').on(t.organizationId, t.noteId),
    index('service_charges_billing_code_id_idx').on(t.billingCodeId),
    index('service_charges_rendering_provider_id_idx').on(t.renderingProviderId),
    index('service_charges_supervising_provider_id_idx').on(t.supervisingProviderId).where(sql`${t.supervisingProviderId} is not null`),
  ],
).enableRLS();

// ------------------------------------------------------------------ relations
export const billingCodesRelations = relations(billingCodes, ({ one, many }) => ({
  organization: one(organizations, { fields: [billingCodes.organizationId], references: [organizations.id] }),
  sessionTypes: many(sessionTypes),
  charges: many(serviceCharges),
}));

export const serviceChargesRelations = relations(serviceCharges, ({ one }) => ({
  organization: one(organizations, { fields: [serviceCharges.organizationId], references: [organizations.id] }),
  student: one(students, { fields: [serviceCharges.studentId], references: [students.id] }),
  participant: one(sessionParticipants, {
    fields: [serviceCharges.sessionId, serviceCharges.studentId],
    references: [sessionParticipants.sessionId, sessionParticipants.studentId],
  }),
  note: one(sessionNotes, { fields: [serviceCharges.noteId], references: [sessionNotes.id] }),
  billingCode: one(billingCodes, { fields: [serviceCharges.billingCodeId], references: [billingCodes.id] }),
  renderingProvider: one(therapists, {
    fields: [serviceCharges.renderingProviderId],
    references: [therapists.id],
    relationName: 'charge_rendering_provider',
  }),
  supervisingProvider: one(therapists, {
    fields: [serviceCharges.supervisingProviderId],
    references: [therapists.id],
    relationName: 'charge_supervising_provider',
  }),
}));
