/**
 * `therapy-db/generate`: the generator, for apps. drizzle-kit's migrations of an app's tables and
 * policies, plus custom migrations for what drizzle-kit cannot express (the grants `toGrants`
 * derives from the app's access declarations, functions, triggers, comments), made safe for tables
 * that hold rows. Needs drizzle-kit, a development dependency of the app.
 *
 * The engine is the CLI's `generate` command's (src/cli/generate.ts); this module is its public
 * surface, kept apart from `./index` so neither imports the other.
 */
export { generate as generateMigrations, type GenerateOptions } from '../cli/generate';
export { detectDrift, type DriftReport } from '../cli/drift';
