/**
 * therapy-db: the database of a school-based therapy platform on Supabase/PostgreSQL.
 *
 * The root export is what a server needs: the Drizzle tables (all of `therapy-db/schema`),
 * `connect()`, `migrate()`, the error helpers and `runChecks()`. The rest has its own subpath, so
 * importing the root never loads zod, the policies or the integrations: `therapy-db/policies` (the
 * RLS policy DSL and the policies), `therapy-db/validators` (Zod), `therapy-db/migrate` (runner and
 * Supabase shim), `therapy-db/rls` (server code as the request's user), `therapy-db/testing` (RLS
 * test helpers), `therapy-db/integrations` (webhooks).
 * README.md's subpath table lists the same; test/exports.test.ts holds both to it.
 */
export * from './schema';
export { connect, redact, EmbeddedDatabaseUnavailableError, type ConnectOptions, type Connection, type Backend, type EmbeddedPGlite, type EmbeddedServer } from './db';
export { migrate, MigrationError, type MigrateOptions, type MigrateResult } from './migrate';
export { describeDbError, findDbError, formatDbError, isDbError, registerConstraintMessages, type DbErrorKind, type DescribedDbError } from './errors';
export type { Logger } from './log';
export { runChecks, renderText, renderJson, renderGithubAnnotations, CheckUsageError, type CheckOptions, type CheckReport, type CheckResult, type CheckId, type CheckStatus, type Finding, type DriftSource } from './check';
