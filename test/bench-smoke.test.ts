import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hotPaths } from '../bench/hot-paths';
import { runBench, type BenchRun } from '../bench/run';
import { createHash } from 'node:crypto';
import type postgres from 'postgres';
import { billingCatalogue, seedGlobals, seedOrganization, type Loader } from '../src/seed/generate';
import { makePlan, readDataset, seed, type SeedResult } from '../src/seed';
import { createTestDatabase, type TestDatabase } from './support/database';

/** Runs the generator without a database, hashing every row and statement it would write. */
async function generateOffline(seedText: string): Promise<{ digest: string; rows: number }> {
  const hash = createHash('sha256');
  let rows = 0;
  const stub = { unsafe: async (query: string, params: unknown[]) => { hash.update(JSON.stringify([query, params])); return []; } };
  const loader: Loader = {
    sql: stub as unknown as postgres.Sql,
    async copy(_table, batch) {
      rows += batch.length;
      hash.update(JSON.stringify(batch));
    },
    step: (_label, fn) => fn(),
  };
  const plan = makePlan({ scale: 0.01, seed: seedText });
  const globals = await seedGlobals(plan, loader);
  for (const org of plan.organizations) await seedOrganization(plan, org, globals, loader);
  expect(rows).toBeGreaterThan(billingCatalogue.length);
  return { digest: hash.digest('hex'), rows };
}

/**
 * The benchmark cannot rot: a tiny data set (scale 0.01, one small organisation) is generated into
 * a migrated copy of the schema — every constraint and validating trigger on — and every hot path
 * runs through RLS and through the explicit WHERE. Structure only, never timings: every hot path
 * ran, both variants returned the same (non-empty) rows for every persona, and the plans were
 * captured.
 */
describe('bench smoke (scale 0.01)', () => {
  let db: TestDatabase;
  let seeded: SeedResult;
  let run: BenchRun;
  const planDir = mkdtempSync(join(tmpdir(), 'therapy-db-bench-'));

  beforeAll(async () => {
    db = await createTestDatabase();
    seeded = await seed({ database: db, plan: makePlan({ scale: 0.01 }), progress: false });
    run = await runBench({ database: db, anchor: new Date(`${seeded.anchor}T00:00:00Z`), iterations: 3, warmup: 1, personas: 3, planDir });
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    rmSync(planDir, { recursive: true, force: true });
  });

  it('seeds a data set with every table the hot paths read, and records it', async () => {
    for (const table of ['therapy_sessions', 'session_participants', 'students', 'caseload_assignments', 'goals', 'goal_observations',
      'messages', 'conversation_participants', 'service_charges', 'session_notes', 'consents']) {
      expect(seeded.rows[table], table).toBeGreaterThan(0);
    }
    expect(seeded.totalRows).toBe(Object.values(seeded.rows).reduce((a, b) => a + b, 0));
    const recorded = await readDataset(db.sql);
    expect(recorded).toMatchObject({ scale: 0.01, seed: seeded.seed, anchor: seeded.anchor });
    // The load paused side-effect triggers and dropped foreign keys; both are back.
    const [state] = await db.sql<{ disabled: number; fks: number }[]>`
      select (select count(*)::int from pg_trigger t join pg_class c on c.oid = t.tgrelid
               where not t.tgisinternal and t.tgenabled = 'D' and c.relnamespace = 'public'::regnamespace) as disabled,
             (select count(*)::int from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace) as fks`;
    expect(state!.disabled).toBe(0);
    expect(state!.fks).toBe(seeded.deferredForeignKeys);
  });

  it('is deterministic: the same seed draws the same rows, another seed other rows', async () => {
    const a = await generateOffline('therapy-db');
    const b = await generateOffline('therapy-db');
    const c = await generateOffline('another seed');
    expect(a.digest).toBe(b.digest);
    expect(c.digest).not.toBe(a.digest);
    expect(a.rows).toBe(seeded.totalRows);
  });

  it('ran every hot path, as a persona through RLS and as the service role, in both statement modes', () => {
    expect(run.hotPaths.map((h) => h.name)).toEqual(hotPaths.map((h) => h.name));
    expect(run.modes).toEqual(['prepared', 'unnamed']);
    for (const h of run.hotPaths) {
      expect(h.personas, h.name).toBeGreaterThan(0);
      expect(h.modes.map((m) => m.mode), h.name).toEqual(['prepared', 'unnamed']);
      for (const m of h.modes) {
        expect(m.rls.n, `${h.name} ${m.mode}`).toBe(3);
        expect(m.explicit.n, `${h.name} ${m.mode}`).toBe(3);
        expect(m.overheadMs, `${h.name} ${m.mode}`).toBeCloseTo(m.rls.p50 - m.explicit.p50, 9);
      }
    }
  });

  it('reads from the plan cache how the prepared RLS statements were planned, and shows both plan shapes', () => {
    for (const h of run.hotPaths) {
      const prepared = h.modes.find((m) => m.mode === 'prepared')!;
      // warm-up and timed runs, every one a named prepared statement on the timing connection
      expect(prepared.rlsPlanUse, h.name).toBeDefined();
      expect(prepared.rlsPlanUse!.generic + prepared.rlsPlanUse!.custom, h.name).toBe(4);
      expect(h.modes.find((m) => m.mode === 'unnamed')!.rlsPlanUse, h.name).toBeUndefined();
      expect(h.customPlanShape, h.name).toMatch(/Scan/);
      expect(h.genericPlanShape, h.name).toMatch(/Scan/);
    }
  });

  it('returned identical, non-empty rows through RLS and through the explicit WHERE, for every persona', () => {
    for (const h of run.hotPaths) {
      expect(h.mismatches, h.name).toEqual([]);
      expect(h.identical, h.name).toBe(true);
      expect(Math.min(...h.rowsPerPersona), h.name).toBeGreaterThan(0);
    }
    expect(run.violations.filter((v) => ['mismatch', 'empty', 'no_persona'].includes(v.kind))).toEqual([]);
  });

  it('captured EXPLAIN (ANALYZE, BUFFERS) of every RLS and explicit query', () => {
    for (const h of run.hotPaths) {
      expect(h.planFiles, h.name).not.toBeNull();
      for (const file of [h.planFiles!.rls, h.planFiles!.explicit]) {
        expect(existsSync(file), file).toBe(true);
        const text = readFileSync(file, 'utf8');
        expect(text).toMatch(/Execution Time: [\d.]+ ms/);
        expect(text).toMatch(/Buffers: shared hit=/);
      }
      // The RLS plans evaluate the app helpers, and their bodies are explained too.
      expect(h.helpers.length, h.name).toBeGreaterThan(0);
      expect(readFileSync(h.planFiles!.rls, 'utf8')).toContain('-- helper app.');
    }
    // app.related_student_ids() is procedural: on a server its statements are explained through
    // auto_explain; the embedded database (one connection) says why it cannot.
    const calendar = readFileSync(run.hotPaths.find((h) => h.name === 'therapist_week_calendar')!.planFiles!.rls, 'utf8');
    const related = calendar.slice(calendar.indexOf('-- helper app.related_student_ids()'));
    expect(related.length, 'the calendar executes app.related_student_ids()').toBeGreaterThan(0);
    if (db.backend === 'postgres') {
      expect(related).toMatch(/Query Text: v_ids := v_ids \|\| \(/);
      expect(related).toContain('caseload_assignments');
    } else {
      expect(related).toContain('auto_explain');
    }
  });

  it('counts the helper initPlans each RLS plan evaluated, and prices one evaluation of each call', () => {
    const calendar = run.hotPaths.find((h) => h.name === 'therapist_week_calendar')!;
    // therapy_sessions, session_types, session_participants and students each have their own tenant guard
    expect(calendar.helperEvaluations.find((e) => e.call.startsWith('app.org_ids('))?.count).toBeGreaterThanOrEqual(2);
    const calls = new Set(run.hotPaths.flatMap((h) => h.helperEvaluations.map((e) => e.call)));
    expect(new Set(run.helperCosts.map((c) => c.call))).toEqual(calls);
    for (const cost of run.helperCosts) {
      expect(Number.isFinite(cost.firstMs) && Number.isFinite(cost.repeatMs), cost.call).toBe(true);
    }
    for (const h of run.hotPaths) expect(h.helperEstimateMs, h.name).toBeGreaterThanOrEqual(0);
  });
});
