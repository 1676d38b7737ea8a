import { defineConfig } from 'drizzle-kit';

/**
 * drizzle-kit reads only what these files export: the app's own tables and policies. They import
 * therapy-db's tables for their foreign keys but never re-export them, so drizzle-kit writes no
 * package table (its `generate` collects the `pgTable`s a schema file exports; `tablesFilter` only
 * applies to push and pull). `npm run db:generate` wraps it to add the grants.
 */
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/schema.ts', './src/policies.ts'],
  out: './migrations',
  entities: { roles: { provider: 'supabase' } },
  schemaFilter: ['public'],
  strict: true,
});
