/**
 * Every table's validators, one module per table (`./therapy-sessions` for `therapy_sessions`), each
 * also a subpath of its own (`therapy-db/validators/therapy-sessions`). A module holds its table's
 * rules and reads its table's columns from `../described-tables`; it imports no Drizzle table, so a
 * bundle that uses one table's schemas carries no other table.
 */
export * from './organizations';
export * from './schools';
export * from './profiles';
export * from './organization-members';
export * from './therapists';
export * from './students';
export * from './guardians';
export * from './student-guardians';
export * from './supervision-assignments';
export * from './caseload-assignments';
export * from './service-plans';
export * from './service-mandates';
export * from './consents';
export * from './session-types';
export * from './session-series';
export * from './therapy-sessions';
export * from './session-participants';
export * from './calendar-blackouts';
export * from './session-notes';
export * from './goals';
export * from './goal-observations';
export * from './progress-reports';
export * from './conversations';
export * from './conversation-participants';
export * from './messages';
export * from './documents';
export * from './billing-codes';
export * from './service-charges';
export * from './notifications';
export * from './webhook-subscriptions';
export * from './outbox-events';
export * from './audit-log';
