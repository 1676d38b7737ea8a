import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAccess, PERSONAS } from '../../src/policies';
import { crossTenantProbes, crossTenantTopicProbes, cutOffProbes, exportPgTap, guardianCutOffProbes, matrixProbes, packagePgTapSuite } from '../../src/probes';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { newId } from '../policies/support/probe';
import { policyWorldIds } from '../policies/support/world';

/**
 * `therapy-db export pgtap`: the access matrix's probes (the ones test/policies/matrix.test.ts,
 * cross-tenant.test.ts — tables, topics, cut-off members — and chat.test.ts's guardian cut off their
 * child run) as pgTAP files, and `pg_prove` running them against a migrated
 * PostgreSQL: all pass, and a deliberately weakened policy fails them.
 */

const run = promisify(execFile);
const quiet = () => {};

describe('the exported pgTAP suite', () => {
  const suite = packagePgTapSuite();

  it('is the same text on every run (stable ids, times relative to now())', () => {
    expect(packagePgTapSuite()).toEqual(suite);
    expect(suite.map((f) => f.text).join('\n')).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
  });

  it("has one file per table and one for the topics, and as many tests as the vitest suite's declared probes: matrix, cross-tenant (tables and topics), cut-off members, guardian cut off their child", () => {
    const options = { access: allAccess, world: policyWorldIds(), newId };
    const vitestProbes = [...matrixProbes(options), ...crossTenantProbes(options), ...crossTenantTopicProbes(options), ...cutOffProbes(options), ...guardianCutOffProbes(options)];
    expect(suite).toHaveLength(allAccess.length + 1);
    expect(suite.map((f) => f.table)).toContain('realtime.messages');
    for (const kind of ['cross-tenant', 'cut-off', 'guardian-cut-off'] as const) expect(vitestProbes.filter((p) => p.kind === kind && p.table === 'realtime.messages').length).toBeGreaterThan(0);
    const tests = suite.reduce((sum, f) => sum + f.tests, 0);
    expect(tests).toBe(vitestProbes.length);
    expect(tests).toBeGreaterThanOrEqual(allAccess.length * PERSONAS.length * 4);
    for (const file of suite) {
      expect(file.text).toContain(`select plan(${file.tests});`);
      expect(file.text.match(/^select (isnt_empty|is_empty|throws_ok|is|matches)\(/gm)).toHaveLength(file.tests);
    }
    // the same test names as the vitest suite
    const assertion = /^select (?:isnt_empty|is_empty|throws_ok|is|matches)\([\s\S]*?, '((?:[^']|'')+)'\);$/gm;
    const titles = suite.flatMap((f) => [...f.text.matchAll(assertion)].map((m) => m[1]!.replace(/''/g, "'").replace(/ \(no fixture row: [^)]*\)$/, '')));
    expect(titles).toHaveLength(tests);
    expect(new Set(titles)).toEqual(new Set(vitestProbes.map((p) => p.title)));
  });

  it('export writes the files once, then reports them unchanged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'therapy-db-pgtap-'));
    try {
      const first = exportPgTap({ dir, log: quiet });
      expect(first.written).toHaveLength(suite.length);
      const second = exportPgTap({ dir, log: quiet });
      expect(second).toMatchObject({ written: [], removed: [] });
      expect(second.unchanged).toHaveLength(suite.length);
      expect(readdirSync(dir).sort()).toEqual(suite.map((f) => f.name).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Why pg_prove cannot run here, or undefined. */
function pgProveMissing(): string | undefined {
  if (!process.env.DATABASE_URL) return 'pg_prove needs a PostgreSQL server with the pgtap extension (PGlite has none): runs in the DATABASE_URL pass';
  if (spawnSync('pg_prove', ['--version'], { encoding: 'utf8' }).status !== 0) return 'pg_prove is not installed (Debian: libtap-parser-sourcehandler-pgtap-perl; .ci/run installs it)';
  return undefined;
}
const missing = pgProveMissing();
if (missing) console.log(`pgTAP run skipped: ${missing}`);

describe.skipIf(missing !== undefined)('pg_prove over the exported suite on PostgreSQL', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    const [available] = await db.sql`select count(*)::int as n from pg_catalog.pg_available_extensions where name = 'pgtap'`;
    if (available?.n !== 1) throw new Error('the pgtap extension is not installed on the server (Debian: postgresql-15-pgtap)');
    dir = mkdtempSync(join(tmpdir(), 'therapy-db-pgtap-'));
    exportPgTap({ dir, log: quiet });
  }, 180_000);
  afterAll(async () => {
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const pgProve = async (files: string[]) => {
    const url = new URL(db.url);
    const args = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username), '-d', url.pathname.slice(1), ...files];
    try {
      const { stdout, stderr } = await run('pg_prove', args, { encoding: 'utf8', env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) }, maxBuffer: 64 * 1024 * 1024 });
      return { code: 0, output: `${stdout}${stderr}` };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  };

  it('passes every test of every file', async () => {
    const files = readdirSync(dir).sort().map((f) => join(dir, f));
    const result = await pgProve(files);
    const tests = packagePgTapSuite().reduce((sum, f) => sum + f.tests, 0);
    expect(result.output, result.output.slice(-3000)).toContain(`Files=${files.length}, Tests=${tests},`);
    expect(result.output).toContain('Result: PASS');
    expect(result.code).toBe(0);
  }, 300_000);

  it('fails once a policy is weakened: a permissive read policy on students lets a member without a role read them', async () => {
    await db.sql.unsafe('create policy students_leak on public.students as permissive for select to authenticated using (true)');
    try {
      const result = await pgProve([join(dir, 'therapy_db_rls_students.test.sql')]);
      expect(result.code).not.toBe(0);
      expect(result.output).toContain('Result: FAIL');
      // (the restrictive tenant policy still hides organisation B: the leak is inside organisation A)
      expect(result.output).toMatch(/Failed test \d+: "member of org A cannot select students"/);
    } finally {
      await db.sql.unsafe('drop policy students_leak on public.students');
    }
  }, 120_000);

  it("fails once tenant isolation is weakened too: a former member reads the organisation's students (the cut-off probes run)", async () => {
    const [tenant] = await db.sql<{ qual: string }[]>`select qual from pg_catalog.pg_policies where schemaname = 'public' and tablename = 'students' and policyname = 'students_tenant_isolation'`;
    await db.sql.unsafe('create policy students_leak on public.students as permissive for select to authenticated using (true)');
    await db.sql.unsafe('alter policy students_tenant_isolation on public.students using (true) with check (true)');
    try {
      const result = await pgProve([join(dir, 'therapy_db_rls_students.test.sql')]);
      expect(result.code).not.toBe(0);
      expect(result.output).toMatch(/Failed test \d+: "a former therapist of org A cannot select org A's students"/);
    } finally {
      await db.sql.unsafe(`alter policy students_tenant_isolation on public.students using (${tenant!.qual}) with check (${tenant!.qual})`);
      await db.sql.unsafe('drop policy students_leak on public.students');
    }
  }, 120_000);
});
