/**
 * Writing migrations that are safe on tables that hold rows: drizzle-kit's diff split into a
 * transactional part, concurrently built indexes, adopted unique constraints and validations, each
 * rendered with the lock timeout and markers the runner and the safety lint expect.
 */
export { safeMigrationParts, type SafePart, type SafePartName } from './safe-migration';
export { renderMigration, needsLockTimeout, GENERATED_HEADER, type MigrationText } from './render';
