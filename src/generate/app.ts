/**
 * `therapy-db/generate`: the generator, for apps. drizzle-kit's migrations of an app's tables and
 * policies, plus custom migrations for what drizzle-kit cannot express (the grants `toGrants`
 * derives from the app's access declarations, functions, triggers, comments), made safe for tables
 * that hold rows. Needs drizzle-kit, a development dependency of the app.
 *
 * The same engine as this repository's `npm run db:generate` (`./migrations`); this module is the
 * public surface of the `therapy-db/generate` subpath. `./index` (the safe-migration renderer the
 * check also uses) stays free of the generator, which needs drizzle-kit.
 */
export { generate as generateMigrations, type GenerateOptions } from './migrations';
export { detectDrift, type DriftReport } from '../check';
