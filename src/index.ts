/**
 * therapy-db: the database of a school-based therapy platform on Supabase/PostgreSQL.
 *
 * Subpaths: `therapy-db/schema` (Drizzle tables), `therapy-db/policies` (the RLS policy DSL and
 * the policies), `therapy-db/validators` (Zod), `therapy-db/migrate` (runner and Supabase shim),
 * `therapy-db/testing` (RLS test helpers).
 */
export * from './schema';
export { connect, redact, type ConnectOptions, type Database, type Backend } from './db';
export { migrate, MigrationError, type MigrateOptions, type MigrateResult } from './migrate';
export { describeDbError, formatDbError, isDbError, registerConstraintMessages, type DbErrorKind, type DescribedDbError } from './errors';
export type { Logger } from './log';
export { runChecks, renderText, renderJson, renderGithubAnnotations, CheckUsageError, type CheckOptions, type CheckReport, type CheckResult, type CheckId, type CheckStatus, type Finding, type DriftSource } from './check';
