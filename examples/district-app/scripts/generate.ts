/**
 * `npm run db:generate -- <name>`: the app's migrations for what changed in src/ since the last
 * ones — drizzle-kit's tables and policies, then the grants in a custom migration — into
 * migrations/. Name them after the app (`district_…`): the ledger shares tags with the package's.
 */
import { generateMigrations } from 'therapy-db/generate';
import * as policies from '../src/policies.js';
import * as schema from '../src/schema.js';

const name = process.argv[2] ?? 'district_change';
await generateMigrations({
  imports: { ...schema, ...policies },
  objects: policies.appObjects,
  migrationsFolder: 'migrations',
  name,
  drizzleConfig: 'drizzle.config.ts',
  log: (line) => process.stderr.write(`${line}\n`),
});
