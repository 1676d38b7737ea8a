/**
 * therapy-db/validators: Zod schemas that accept exactly what the database accepts, for forms and
 * API handlers. Browser-safe: it imports the Drizzle table objects and the code lists, never a
 * driver or a Node built-in.
 *
 * Per table (`therapySession…` for `therapy_sessions`): `…InsertSchema`, `…UpdateSchema`,
 * `…SelectSchema`, the types `…Insert` / `…InsertInput` (parsed output / accepted input), `…Update`,
 * `…UpdateInput`, `…Select`, and `…Validators` (all of them plus the table and its rules).
 * The pieces they are built from are exported too, for app-specific schemas.
 */
import { auditLogValidators } from './audit';
import { billingCodeValidators, serviceChargeValidators } from './billing';
import { caseloadAssignmentValidators, consentValidators, serviceMandateValidators, servicePlanValidators } from './caseload';
import { conversationParticipantValidators, conversationValidators, messageValidators } from './chat';
import { sessionNoteValidators } from './documentation';
import { documentValidators } from './files';
import { goalObservationValidators, goalValidators, progressReportValidators } from './goals';
import { organizationMemberValidators, organizationValidators, profileValidators, schoolValidators } from './identity';
import { outboxEventValidators, webhookSubscriptionValidators } from './integrations';
import { notificationValidators } from './notifications';
import { guardianValidators, studentGuardianValidators, studentValidators, supervisionAssignmentValidators, therapistValidators } from './people';
import {
  calendarBlackoutValidators,
  sessionParticipantValidators,
  sessionSeriesValidators,
  sessionTypeValidators,
  therapySessionValidators,
} from './scheduling';

// ------------------------------------------------------------------ the tables
export * from './identity';
export * from './people';
export * from './caseload';
export * from './scheduling';
export * from './documentation';
export * from './goals';
export * from './chat';
export * from './files';
export * from './billing';
export * from './notifications';
export * from './integrations';
export * from './audit';

/** Every table's validators, by qualified table name (`public.therapy_sessions`). */
export const validatorsByTable = Object.fromEntries(
  [
    organizationValidators, schoolValidators, profileValidators, organizationMemberValidators,
    therapistValidators, studentValidators, guardianValidators, studentGuardianValidators, supervisionAssignmentValidators,
    caseloadAssignmentValidators, servicePlanValidators, serviceMandateValidators, consentValidators,
    sessionTypeValidators, sessionSeriesValidators, therapySessionValidators, sessionParticipantValidators, calendarBlackoutValidators,
    sessionNoteValidators,
    goalValidators, goalObservationValidators, progressReportValidators,
    conversationValidators, conversationParticipantValidators, messageValidators,
    documentValidators,
    billingCodeValidators, serviceChargeValidators,
    notificationValidators,
    webhookSubscriptionValidators, outboxEventValidators,
    auditLogValidators,
  ].map((validators) => [validators.name, validators as AnyTableValidators]),
) as Readonly<Record<string, AnyTableValidators>>;

// ------------------------------------------------------------------ the pieces
export { defineTable, type TableValidators, type TableSpec, type InsertShape, type UpdateShape, type SelectShape, type RefusedField, type ColumnKey, type WritableKey } from './table';
export { rule, ordered, bothOrNeither, compare, type RowRule, type RuleIssue } from './rules';
export { columnSchema, type ColumnSchema } from './columns';
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
