/** `therapy-db check --trace`: new migrations applied statement by statement to a seeded scratch database. */
export { traceCheck, DEFAULT_LOCK_THRESHOLD_MS, DEFAULT_TRACE_SCALE, type TraceContext, type TraceOptions } from './check';
export { traceMigration, TraceError, type MigrationTrace, type StatementTrace, type TracedLock } from './trace';
