/**
 * therapy-db/validators: Zod schemas that accept exactly what the database accepts, for forms and
 * API handlers. Browser-safe: it imports the Drizzle table objects and the code lists, never a
 * driver or a Node built-in.
 *
 * Per table (`therapySession…` for `therapy_sessions`): `…InsertSchema`, `…UpdateSchema`,
 * `…SelectSchema`, the types `…Insert` / `…InsertInput` (parsed output / accepted input), `…Update`,
 * `…UpdateInput`, `…Select`, `…Schemas` (all of them, the fields and the rules) and `…Validators`
 * (the same plus the Drizzle table). The pieces they are built from are exported too, for
 * app-specific schemas.
 *
 * Tree-shakes per table: a bundle that uses one table's schemas carries that table's columns and
 * rules and no other table (test/validators.bundle.test.ts). `therapy-db/validators/<table>`
 * (`therapy-db/validators/therapy-sessions`) is the same table's module on its own.
 */
import { organizations, schools, profiles, organizationMembers, therapists, students, guardians, studentGuardians, supervisionAssignments, caseloadAssignments, servicePlans, serviceMandates, consents, sessionTypes, sessionSeries, therapySessions, sessionParticipants, calendarBlackouts, sessionNotes, goals, goalObservations, progressReports, conversations, conversationParticipants, messages, documents, billingCodes, serviceCharges, notifications, webhookSubscriptions, outboxEvents, auditLog } from '../schema/tables';
import { organizationSchemas, schoolSchemas, profileSchemas, organizationMemberSchemas, therapistSchemas, studentSchemas, guardianSchemas, studentGuardianSchemas, supervisionAssignmentSchemas, caseloadAssignmentSchemas, servicePlanSchemas, serviceMandateSchemas, consentSchemas, sessionTypeSchemas, sessionSeriesSchemas, therapySessionSchemas, sessionParticipantSchemas, calendarBlackoutSchemas, sessionNoteSchemas, goalSchemas, goalObservationSchemas, progressReportSchemas, conversationSchemas, conversationParticipantSchemas, messageSchemas, documentSchemas, billingCodeSchemas, serviceChargeSchemas, notificationSchemas, webhookSubscriptionSchemas, outboxEventSchemas, auditLogSchemas } from './tables';
import { withTable } from './table';

// ------------------------------------------------------------------ the tables
export * from './tables';

/*
 * Each table's schemas with its Drizzle table (`therapySessionValidators.table`). The calls are pure:
 * a bundle that uses none of them drops them, and with them the Drizzle tables.
 */
export const organizationValidators = /* @__PURE__ */ withTable(organizations, organizationSchemas);
export const schoolValidators = /* @__PURE__ */ withTable(schools, schoolSchemas);
export const profileValidators = /* @__PURE__ */ withTable(profiles, profileSchemas);
export const organizationMemberValidators = /* @__PURE__ */ withTable(organizationMembers, organizationMemberSchemas);
export const therapistValidators = /* @__PURE__ */ withTable(therapists, therapistSchemas);
export const studentValidators = /* @__PURE__ */ withTable(students, studentSchemas);
export const guardianValidators = /* @__PURE__ */ withTable(guardians, guardianSchemas);
export const studentGuardianValidators = /* @__PURE__ */ withTable(studentGuardians, studentGuardianSchemas);
export const supervisionAssignmentValidators = /* @__PURE__ */ withTable(supervisionAssignments, supervisionAssignmentSchemas);
export const caseloadAssignmentValidators = /* @__PURE__ */ withTable(caseloadAssignments, caseloadAssignmentSchemas);
export const servicePlanValidators = /* @__PURE__ */ withTable(servicePlans, servicePlanSchemas);
export const serviceMandateValidators = /* @__PURE__ */ withTable(serviceMandates, serviceMandateSchemas);
export const consentValidators = /* @__PURE__ */ withTable(consents, consentSchemas);
export const sessionTypeValidators = /* @__PURE__ */ withTable(sessionTypes, sessionTypeSchemas);
export const sessionSeriesValidators = /* @__PURE__ */ withTable(sessionSeries, sessionSeriesSchemas);
export const therapySessionValidators = /* @__PURE__ */ withTable(therapySessions, therapySessionSchemas);
export const sessionParticipantValidators = /* @__PURE__ */ withTable(sessionParticipants, sessionParticipantSchemas);
export const calendarBlackoutValidators = /* @__PURE__ */ withTable(calendarBlackouts, calendarBlackoutSchemas);
export const sessionNoteValidators = /* @__PURE__ */ withTable(sessionNotes, sessionNoteSchemas);
export const goalValidators = /* @__PURE__ */ withTable(goals, goalSchemas);
export const goalObservationValidators = /* @__PURE__ */ withTable(goalObservations, goalObservationSchemas);
export const progressReportValidators = /* @__PURE__ */ withTable(progressReports, progressReportSchemas);
export const conversationValidators = /* @__PURE__ */ withTable(conversations, conversationSchemas);
export const conversationParticipantValidators = /* @__PURE__ */ withTable(conversationParticipants, conversationParticipantSchemas);
export const messageValidators = /* @__PURE__ */ withTable(messages, messageSchemas);
export const documentValidators = /* @__PURE__ */ withTable(documents, documentSchemas);
export const billingCodeValidators = /* @__PURE__ */ withTable(billingCodes, billingCodeSchemas);
export const serviceChargeValidators = /* @__PURE__ */ withTable(serviceCharges, serviceChargeSchemas);
export const notificationValidators = /* @__PURE__ */ withTable(notifications, notificationSchemas);
export const webhookSubscriptionValidators = /* @__PURE__ */ withTable(webhookSubscriptions, webhookSubscriptionSchemas);
export const outboxEventValidators = /* @__PURE__ */ withTable(outboxEvents, outboxEventSchemas);
export const auditLogValidators = /* @__PURE__ */ withTable(auditLog, auditLogSchemas);

/** Every table's validators, by qualified table name (`public.therapy_sessions`). */
export const validatorsByTable: Readonly<Record<string, AnyTableValidators>> = /* @__PURE__ */ byQualifiedName([
  organizationValidators,
  schoolValidators,
  profileValidators,
  organizationMemberValidators,
  therapistValidators,
  studentValidators,
  guardianValidators,
  studentGuardianValidators,
  supervisionAssignmentValidators,
  caseloadAssignmentValidators,
  servicePlanValidators,
  serviceMandateValidators,
  consentValidators,
  sessionTypeValidators,
  sessionSeriesValidators,
  therapySessionValidators,
  sessionParticipantValidators,
  calendarBlackoutValidators,
  sessionNoteValidators,
  goalValidators,
  goalObservationValidators,
  progressReportValidators,
  conversationValidators,
  conversationParticipantValidators,
  messageValidators,
  documentValidators,
  billingCodeValidators,
  serviceChargeValidators,
  notificationValidators,
  webhookSubscriptionValidators,
  outboxEventValidators,
  auditLogValidators,
]);

function byQualifiedName(all: readonly { readonly name: string }[]): Readonly<Record<string, AnyTableValidators>> {
  return Object.fromEntries(all.map((validators) => [validators.name, validators])) as Readonly<Record<string, AnyTableValidators>>;
}

// ------------------------------------------------------------------ the pieces
export { defineTable, tableSchemas, withTable, type TableValidators, type TableSchemas, type TableSpec, type InsertShape, type UpdateShape, type SelectShape, type RefusedField, type ColumnKey, type WritableKey } from './table';
export { rule, ordered, bothOrNeither, compare, type RowRule, type RuleIssue } from './rules';
export { columnSchema, describedColumnSchema, type ColumnSchema } from './columns';
export { describeTable, describeColumn } from './describe';
export type { DescribedTable, DescribedColumn } from './described';
export { e164Pattern, e164Description, stateCodePattern, stateCodeDescription, eventTypePattern, eventTypeDescription } from './patterns';
export { uuid, isUuid, canonicalUuid } from './uuid';
export { text, length, trimmedLength, matches, textRule, fixedChar, storable, btrim, characterCount, textProblem, emailAddress } from './text';
export { timestamptz, isoDate, timeOfDay, parseDate, parseTimestamp, formatDate, type TimestampPrecision } from './datetime';
export { integer, between, atLeast, decimal, decimalBetween, decimalAtLeast, storedDecimal, type IntegerType } from './numeric';
export { daterange, tstzrange, nonEmptyRange, parseDaterange, parseTstzrange, type ParsedRange } from './range';
export { json, jsonObject, jsonProblem, MAX_JSON_DEPTH, type JsonValue, type JsonObject } from './json';
export { array, minItems, maxItems } from './array';
export { codeList } from './codes';
export { boolean } from './boolean';
export { fieldLabel, columnName, toColumns, must, expected, type ColumnName, type Message, type IssueLike } from './label';

import type { z } from 'zod';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { RowRule } from './rules';

/** A table's validators without its precise types, for code that iterates over all tables. */
export interface AnyTableValidators {
  readonly table: PgTable;
  readonly name: string;
  readonly insert: z.ZodObject;
  readonly update: z.ZodObject;
  readonly select: z.ZodObject;
  readonly insertFields: z.ZodObject;
  readonly updateFields: z.ZodObject;
  withRules<O extends z.ZodObject>(schema: O): O;
  readonly serverColumns: readonly string[];
  readonly rules: readonly RowRule[];
}
