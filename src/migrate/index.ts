export { migrate, type MigrateOptions, type MigrateResult } from './runner';
export { readDdlSnapshot, writeDdlSnapshot, DDL_SNAPSHOT_FILE } from './ddl-snapshot';
export { MigrationError, MigrationFileError } from './errors';
export {
  migrationFolderFormat,
  readJournalEntries,
  readJournalTags,
  readMigrations,
  readMigrationTags,
  unlistedMigrationFiles,
  sha256Hex,
  splitStatements,
  NO_TRANSACTION_MARKER,
  STATEMENT_BREAKPOINT,
  SUPABASE_MIGRATION_FILE,
  type JournalEntry,
  type MigrationFile,
  type MigrationFolderFormat,
} from './journal';
export { migrationFolders, readMigrationLayers, MigrationLayerError, type MigrationLayer, type MigrationsFolders } from './layers';
export { exportSupabaseMigrations, type ExportSupabaseOptions, type ExportSupabaseResult, type ExportConflict } from './export-supabase';
export { supabaseMigrationNames, SUPABASE_LEDGER, type SupabaseMigrationName } from './supabase-ledger';
export { applySupabaseShim, hasSupabasePlatform, supabaseShimParts, type ShimPart, type ShimResult } from '../platform';
export { defaultMigrationsFolder } from '../paths';
export {
  readReleaseManifest,
  releaseMigrations,
  ReleaseManifestError,
  RELEASE_MANIFEST,
  type ReleaseManifest,
  type ReleasedMigration,
} from './releases';
