import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hotPaths, type HotPath, type HotPathCase } from '../bench/hot-paths';
import { rowsKey, runBench, type BenchRun } from '../bench/run';
import { alreadyVerifiedClaims, enterRequestContext, enterServiceRole } from '../src/rls';
import { createHash } from 'node:crypto';
import type postgres from 'postgres';
import { billingCatalogue, seedGlobals, seedOrganization, type Loader } from '../src/seed/generate';
import { makePlan, readDataset, seed, type SeedResult } from '../src/seed';
import { rolledBack } from '../src/testing';
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

/** Thrown to roll a savepoint back with the rows read inside it. */
class Read {
  constructor(readonly rows: unknown[]) {}
}

/**
 * Both variants of a hot path for one persona inside `tx` (each in a savepoint rolled back), so
 * they see what `tx` changed: the persona through RLS, and the service role with the explicit WHERE.
 */
async function bothVariants(tx: postgres.TransactionSql, path: HotPath, c: HotPathCase): Promise<{ rls: string; explicit: string }> {
  const read = async (rls: boolean): Promise<string> => {
    try {
      await tx.savepoint(async (sp) => {
        if (rls) await enterRequestContext(sp, alreadyVerifiedClaims({ sub: c.userId, role: 'authenticated' }));
        else await enterServiceRole(sp);
        throw new Read([...(await sp.unsafe(rls ? path.rls : path.explicit, (rls ? c.rlsParams : c.explicitParams) as never[]))]);
      });
    } catch (error) {
      if (error instanceof Read) return rowsKey(error.rows);
      throw error;
    }
    throw new Error('unreachable: the savepoint always rolls back');
  };
  return { rls: await read(true), explicit: await read(false) };
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
    // app.related_student_ids() is one query over the access set: its plan is explained like the query's.
    const calendar = readFileSync(run.hotPaths.find((h) => h.name === 'therapist_week_calendar')!.planFiles!.rls, 'utf8');
    const related = calendar.slice(calendar.indexOf('-- helper app.related_student_ids()'));
    expect(related.length, 'the calendar executes app.related_student_ids()').toBeGreaterThan(0);
    expect(related).toContain('access_students');
    expect(related).toMatch(/Execution Time: [\d.]+ ms/);
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

  /**
   * The seeded data deactivates and soft-deletes nothing, so there the twins agree even if they
   * skipped those rules. Each state below is made in a transaction (rolled back), and both variants
   * must still agree for every persona, and the state must change what some hot path returns.
   */
  describe('the explicit twins enforce what the policies enforce', () => {
    type Cases = ReadonlyMap<string, readonly HotPathCase[]>;
    const states: readonly { name: string; changes: readonly string[]; make: (tx: postgres.TransactionSql, cases: Cases) => Promise<void> }[] = [
      {
        name: 'a deactivated account',
        changes: ['therapist_week_calendar', 'guardian_child_sessions', 'org_admin_monthly_billing'],
        async make(tx, cases) {
          const users = [...cases.values()].map((list) => list[0]!.userId);
          await tx`update public.profiles set deactivated_at = now() where id = any (${users}::uuid[])`;
        },
      },
      {
        name: 'a suspended membership',
        changes: ['therapist_caseload', 'conversation_last_messages'],
        async make(tx, cases) {
          const users = [...cases.values()].map((list) => list[0]!.userId);
          await tx`update public.organization_members set status = 'suspended' where user_id = any (${users}::uuid[])`;
        },
      },
      {
        name: 'a soft-deleted organisation (an org admin keeps it)',
        changes: ['therapist_week_calendar', 'student_goals_latest_observation', 'conversation_last_messages'],
        async make(tx) {
          await tx`update public.organizations set deleted_at = now()`;
        },
      },
      {
        name: "a soft-deleted school of a therapist's session and a guardian's child",
        changes: ['therapist_week_calendar', 'guardian_child_sessions'],
        async make(tx, cases) {
          const calendar = cases.get('therapist_week_calendar')![0]!;
          const guardian = cases.get('guardian_child_sessions')![0]!;
          await tx`
            update public.schools set deleted_at = now()
             where id in (select s.school_id from public.therapy_sessions s
                           where s.therapist_id = ${calendar.userId} and s.start_time >= ${calendar.rlsParams[0] as string}
                             and s.school_id is not null
                           order by s.start_time limit 1)
                or id in (select st.school_id from public.students st where st.id = ${guardian.rlsParams[0] as string})`;
        },
      },
      {
        name: "a soft-deleted student of a caseload, a guardian's child and a goal's student",
        changes: ['therapist_caseload', 'guardian_child_sessions', 'student_goals_latest_observation'],
        async make(tx, cases) {
          const caseload = cases.get('therapist_caseload')![0]!;
          await tx`
            update public.students set deleted_at = now()
             where id in (select c.student_id from public.caseload_assignments c
                           where c.therapist_id = ${caseload.userId} and c.ends_on is null order by c.student_id limit 1)
                or id = ${cases.get('guardian_child_sessions')![0]!.rlsParams[0] as string}
                or id = ${cases.get('student_goals_latest_observation')![0]!.rlsParams[0] as string}`;
        },
      },
      {
        name: "a soft-deleted session of a goal's latest observation",
        changes: ['student_goals_latest_observation'],
        async make(tx, cases) {
          const [latest] = await tx<{ session_id: string }[]>`
            select o.session_id from public.goal_observations o
             where o.student_id = ${cases.get('student_goals_latest_observation')![0]!.rlsParams[0] as string}
             order by o.recorded_at desc limit 1`;
          // A billed session cannot be soft-deleted (therapy_sessions_billed_not_deleted): its charges go first.
          await tx`delete from public.service_charges where session_id = ${latest!.session_id}`;
          await tx`update public.therapy_sessions set deleted_at = now() where id = ${latest!.session_id}`;
        },
      },
      {
        name: "portal access withheld from a guardian's child (a court order)",
        changes: ['guardian_child_sessions', 'conversation_last_messages'],
        async make(tx, cases) {
          const users = [cases.get('guardian_child_sessions')![0]!.userId, cases.get('conversation_last_messages')![0]!.userId];
          await tx`
            update public.student_guardians sg set portal_access = false
              from public.guardians g where g.id = sg.guardian_id and g.user_id = any (${users}::uuid[])`;
        },
      },
      ...(['active', 'suspended', 'deactivated'] as const).map((supervisee) => ({
        name: `a supervision of ${supervisee === 'active' ? 'an active' : `a ${supervisee}`} therapist of the organisation`,
        changes: supervisee === 'active' ? ['therapist_caseload'] : [],
        async make(tx: postgres.TransactionSql, cases: Cases) {
          const supervisor = cases.get('therapist_caseload')![0]!.userId;
          const personas = [...cases.values()].flatMap((list) => list.map((c) => c.userId));
          const [other] = await tx<{ id: string; organization_id: string }[]>`
            select m.user_id as id, m.organization_id from public.organization_members m
             where m.role = 'therapist' and m.status = 'active' and m.user_id <> all (${personas}::uuid[])
               and exists (select 1 from public.caseload_assignments c where c.therapist_id = m.user_id and c.ends_on is null)
               and m.organization_id = (select organization_id from public.organization_members where user_id = ${supervisor} limit 1)
             order by m.user_id limit 1`;
          await tx`
            insert into public.supervision_assignments (organization_id, supervisor_id, supervisee_id, supervision_type, active_during)
            values (${other!.organization_id}, ${supervisor}, ${other!.id}, 'peer_review', daterange(current_date - 30, null))`;
          if (supervisee === 'suspended') await tx`update public.organization_members set status = 'suspended' where user_id = ${other!.id}`;
          if (supervisee === 'deactivated') await tx`update public.profiles set deactivated_at = now() where id = ${other!.id}`;
        },
      })),
    ];

    for (const state of states) {
      it(`with ${state.name}`, async () => {
        const cases = new Map<string, HotPathCase[]>();
        for (const path of hotPaths) cases.set(path.name, await path.cases(db.sql, { anchor: new Date(`${seeded.anchor}T00:00:00Z`) }, 2));
        const before = new Map<string, string>();
        const changed = new Set<string>();
        const mismatches: string[] = [];
        await rolledBack(db.sql, async (tx) => {
          for (const path of hotPaths) for (const c of cases.get(path.name)!) before.set(`${path.name} ${c.label}`, (await bothVariants(tx, path, c)).rls);
          await state.make(tx, cases);
          for (const path of hotPaths) {
            for (const c of cases.get(path.name)!) {
              const { rls, explicit } = await bothVariants(tx, path, c);
              if (rls !== explicit) mismatches.push(`${path.name} ${c.label}: RLS ${rls.slice(0, 200)} explicit ${explicit.slice(0, 200)}`);
              if (rls !== before.get(`${path.name} ${c.label}`)) changed.add(path.name);
            }
          }
        });
        expect(mismatches).toEqual([]);
        // The state bites: what it should hide (or, for a supervision, add) changed through both variants.
        for (const name of state.changes) expect([...changed], `${state.name} changes ${name}`).toContain(name);
        if (state.changes.length === 0) expect([...changed].filter((n) => n === 'therapist_caseload')).toEqual([]);
      });
    }
  });
});
