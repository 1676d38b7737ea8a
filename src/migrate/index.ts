export { migrate, type MigrateOptions, type MigrateResult } from './runner';
export { MigrationError } from './errors';
export { readJournalTags, readMigrations, sha256Hex, splitStatements, NO_TRANSACTION_MARKER, STATEMENT_BREAKPOINT, type MigrationFile } from './journal';
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
