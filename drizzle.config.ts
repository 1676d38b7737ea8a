import { defineConfig } from 'drizzle-kit';

/**
 * drizzle-kit reads the tables from `src/schema` and the policies linked to them from `src/policies`.
 * Do not run `drizzle-kit generate` directly: `npm run db:generate` wraps it so the objects drizzle-kit
 * cannot express (functions, triggers, exclusion constraints, grants, comments) migrate too.
 */
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/schema/index.ts', './src/policies/index.ts'],
  out: './drizzle',
  entities: { roles: { provider: 'supabase' } },
  schemaFilter: ['public', 'audit'],
  strict: true,
  verbose: false,
});
