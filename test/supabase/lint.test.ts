import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { cliDbUrl, supabaseCli } from './support';

/**
 * `supabase db lint` (plpgsql_check over every function) on the migrated database: nothing at level
 * warning or above. It needs the plpgsql_check extension, which PGlite does not have and Debian's
 * postgresql-15-plpgsql-check provides (.ci/run installs it).
 */

const onServer = Boolean(process.env.DATABASE_URL);
if (!onServer) console.log('supabase db lint: runs in the DATABASE_URL pass (plpgsql_check is not available in PGlite)');

describe.skipIf(!onServer)('supabase db lint on the migrated database', () => {
  let db: TestDatabase;
  let project: string;
  let available = false;
  beforeAll(async () => {
    db = await createTestDatabase();
    const [row] = await db.sql`select count(*)::int as n from pg_catalog.pg_available_extensions where name = 'plpgsql_check'`;
    available = row?.n === 1;
    project = mkdtempSync(join(tmpdir(), 'therapy-db-lint-'));
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('reports no warning and no error (exit 0 with --fail-on warning)', async (context) => {
    if (!available) {
      console.log('supabase db lint skipped: the plpgsql_check extension is not installed on this server (Debian: postgresql-15-plpgsql-check)');
      context.skip();
    }
    const { stdout, stderr } = await supabaseCli(['db', 'lint', '--db-url', cliDbUrl(db.url), '--level', 'warning', '--fail-on', 'warning'], project);
    expect(`${stdout}${stderr}`).toContain('No schema errors found');
    expect(`${stdout}${stderr}`).toContain('Linting schema: app');
  }, 120_000);
});
