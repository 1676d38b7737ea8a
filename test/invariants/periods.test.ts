import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, createWorld, expectRefusal, isoDate, rolledBack, type Sql, type World } from './helpers';

/**
 * Rules over periods of time: one primary therapist per student and discipline, one active plan
 * per type, no overlapping supervision of the same pair, no overlapping progress-report periods
 * per goal; and one primary guardian per student. Overlaps are refused, periods that touch are not.
 */
describe('periods that must not overlap', () => {
  let w: World;
  let goalId: string;
  beforeAll(async () => {
    w = await createWorld();
    const [goal] = await w.db.sql<{ id: string }[]>`select id from public.goals where student_id = ${w.fx.a.studentIds[0]}`;
    goalId = goal!.id;
  });
  afterAll(async () => {
    await w?.db.close();
  });

  const day = (d: number) => isoDate(at(d, 12));

  describe('caseload: one primary therapist per student and discipline at a time', () => {
    const rule = { code: '23P01', rule: 'caseload_assignments_one_primary_excl', table: 'caseload_assignments' } as const;
    const assign = (tx: Sql, therapistId: string, startsOn: string, endsOn: string | null, role = 'primary', discipline = 'slp') =>
      tx`insert into public.caseload_assignments (organization_id, student_id, therapist_id, discipline, assignment_role, starts_on, ends_on)
         values (${w.fx.a.organizationId}, ${w.fx.a.studentIds[0]}, ${therapistId}, ${discipline}, ${role}, ${startsOn}, ${endsOn})`;

    it('a second primary therapist for the same student and discipline is refused while the first is assigned', async () => {
      await expectRefusal(w.db.sql, rule, (tx) => assign(tx, w.fx.a.users.supervisor, day(0), null));
    });

    it('the next primary may start the day after the last one ends (ends_on is inclusive)', async () => {
      const rows = await rolledBack(w.db.sql, async (tx) => {
        await tx`update public.caseload_assignments set ends_on = ${day(10)} where student_id = ${w.fx.a.studentIds[0]} and assignment_role = 'primary'`;
        await assign(tx, w.fx.a.users.supervisor, day(11), null);
        return tx`select 1 from public.caseload_assignments where student_id = ${w.fx.a.studentIds[0]} and assignment_role = 'primary'`;
      });
      expect(rows).toHaveLength(2);
    });

    it('a primary starting on the day the last one ends is refused', async () => {
      await expectRefusal(w.db.sql, rule, async (tx) => {
        await tx`update public.caseload_assignments set ends_on = ${day(10)} where student_id = ${w.fx.a.studentIds[0]} and assignment_role = 'primary'`;
        await assign(tx, w.fx.a.users.supervisor, day(10), day(20));
      });
    });

    it('secondary therapists and other disciplines may overlap the primary', async () => {
      const rows = await rolledBack(w.db.sql, async (tx) => {
        await assign(tx, w.fx.a.users.supervisor, day(0), null, 'secondary');
        await assign(tx, w.fx.a.users.supervisee, day(0), null, 'consult');
        await assign(tx, w.fx.a.users.supervisor, day(0), null, 'primary', 'ot');
        return tx`select 1 from public.caseload_assignments where student_id = ${w.fx.a.studentIds[0]}`;
      });
      expect(rows).toHaveLength(4);
    });
  });

  describe('service plans: one active plan of each type per student at a time', () => {
    const rule = { code: '23P01', rule: 'service_plans_one_active_excl', table: 'service_plans' } as const;
    const plan = (tx: Sql, planType: string, status: string, from: number, to: number) =>
      tx`insert into public.service_plans (organization_id, student_id, plan_type, status, effective_during, created_by)
         values (${w.fx.a.organizationId}, ${w.fx.a.studentIds[0]}, ${planType}, ${status}, ${`[${day(from)},${day(to)})`}, ${w.fx.a.users.org_admin})`;

    it('a second active IEP overlapping the active one is refused', async () => {
      await expectRefusal(w.db.sql, rule, (tx) => plan(tx, 'iep', 'active', 100, 300));
    });

    it('an active IEP that starts when the current one ends is accepted', async () => {
      const [{ until }] = await w.db.sql<[{ until: string }]>`
        select upper(effective_during)::text as until from public.service_plans where student_id = ${w.fx.a.studentIds[0]} and status = 'active'`;
      const rows = await rolledBack(w.db.sql, async (tx) => {
        await tx`insert into public.service_plans (organization_id, student_id, plan_type, status, effective_during, created_by)
                 values (${w.fx.a.organizationId}, ${w.fx.a.studentIds[0]}, 'iep', 'active', ${`[${until},)`}, ${w.fx.a.users.org_admin})`;
        return tx`select 1 from public.service_plans where student_id = ${w.fx.a.studentIds[0]} and status = 'active'`;
      });
      expect(rows).toHaveLength(2);
    });

    it('draft IEPs and active plans of another type may overlap the active IEP', async () => {
      const rows = await rolledBack(w.db.sql, async (tx) => {
        await plan(tx, 'iep', 'draft', 100, 300);
        await plan(tx, '504', 'active', 100, 300);
        return tx`select 1 from public.service_plans where student_id = ${w.fx.a.studentIds[0]}`;
      });
      expect(rows).toHaveLength(3);
    });

    it('activating a draft that overlaps the active plan is refused', async () => {
      await expectRefusal(w.db.sql, rule, async (tx) => {
        await plan(tx, 'iep', 'draft', 100, 300);
        await tx`update public.service_plans set status = 'active' where student_id = ${w.fx.a.studentIds[0]} and status = 'draft'`;
      });
    });
  });

  describe('supervision: no overlapping periods of one supervisor and supervisee', () => {
    const rule = { code: '23P01', rule: 'supervision_assignments_period_overlap_excl', table: 'supervision_assignments' } as const;
    const supervise = (tx: Sql, supervisorId: string, range: string) =>
      tx`insert into public.supervision_assignments (organization_id, supervisor_id, supervisee_id, supervision_type, active_during)
         values (${w.fx.a.organizationId}, ${supervisorId}, ${w.fx.a.users.supervisee}, 'slpa', ${range})`;

    it('a second, overlapping supervision of the same pair is refused', async () => {
      await expectRefusal(w.db.sql, rule, (tx) => supervise(tx, w.fx.a.users.supervisor, `[${day(100)},${day(300)})`));
    });

    it('a supervision period that starts when the current one ends is accepted', async () => {
      const rows = await rolledBack(w.db.sql, async (tx) => {
        const [{ until }] = await tx<[{ until: string }]>`
          select upper(active_during)::text as until from public.supervision_assignments where supervisee_id = ${w.fx.a.users.supervisee}`;
        await supervise(tx, w.fx.a.users.supervisor, `[${until},)`);
        return tx`select 1 from public.supervision_assignments where supervisee_id = ${w.fx.a.users.supervisee}`;
      });
      expect(rows).toHaveLength(2);
    });

    it('another supervisor may supervise the same supervisee at the same time', async () => {
      const rows = await rolledBack(w.db.sql, async (tx) => {
        await supervise(tx, w.fx.a.users.therapist, `[${day(0)},${day(30)})`);
        return tx`select 1 from public.supervision_assignments where supervisee_id = ${w.fx.a.users.supervisee}`;
      });
      expect(rows).toHaveLength(2);
    });

    it('nobody supervises themselves', async () => {
      await expectRefusal(w.db.sql, { code: '23514', rule: 'supervision_assignments_no_self_supervision_check', table: 'supervision_assignments' }, (tx) =>
        tx`insert into public.supervision_assignments (organization_id, supervisor_id, supervisee_id, supervision_type, active_during)
           values (${w.fx.a.organizationId}, ${w.fx.a.users.supervisee}, ${w.fx.a.users.supervisee}, 'slpa', ${`[${day(0)},${day(30)})`})`,
      );
    });
  });

  describe('progress reports: one per goal and reporting period', () => {
    const rule = { code: '23P01', rule: 'progress_reports_period_overlap_excl', table: 'progress_reports' } as const;
    const report = (tx: Sql, range: string) =>
      tx`insert into public.progress_reports (organization_id, goal_id, student_id, reporting_period, progress_code, summary, author_id)
         values (${w.fx.a.organizationId}, ${goalId}, ${w.fx.a.studentIds[0]}, ${range}, 'sufficient', 'Quarterly report.', ${w.fx.a.users.therapist})`;

    it('a report whose period overlaps an earlier report of the same goal is refused', async () => {
      await expectRefusal(w.db.sql, rule, (tx) => report(tx, `[${day(-30)},${day(60)})`));
    });

    it('the next period may start where the last one ended', async () => {
      const [{ until }] = await w.db.sql<[{ until: string }]>`
        select upper(reporting_period)::text as until from public.progress_reports where goal_id = ${goalId}`;
      const rows = await rolledBack(w.db.sql, async (tx) => {
        await report(tx, `[${until},${day(90)})`);
        return tx`select 1 from public.progress_reports where goal_id = ${goalId}`;
      });
      expect(rows).toHaveLength(2);
    });
  });

  describe('guardians: one primary guardian per student', () => {
    const addGuardian = async (tx: Sql, isPrimary: boolean) => {
      const [g] = await tx<{ id: string }[]>`
        insert into public.guardians (organization_id, first_name, last_name) values (${w.fx.a.organizationId}, 'Pat', 'Parent') returning id`;
      await tx`insert into public.student_guardians (organization_id, student_id, guardian_id, relationship, is_primary)
               values (${w.fx.a.organizationId}, ${w.fx.a.studentIds[0]}, ${g!.id}, 'parent', ${isPrimary})`;
      return g!.id;
    };

    it('a second primary guardian of a student is refused', async () => {
      await expectRefusal(w.db.sql, { code: '23505', rule: 'student_guardians_one_primary_key', table: 'student_guardians' }, (tx) => addGuardian(tx, true));
    });

    it('more guardians may be added, and the primary one can be handed over', async () => {
      const primaries = await rolledBack(w.db.sql, async (tx) => {
        const other = await addGuardian(tx, false);
        await tx`update public.student_guardians set is_primary = false where student_id = ${w.fx.a.studentIds[0]}`;
        await tx`update public.student_guardians set is_primary = true where guardian_id = ${other}`;
        return tx<{ guardian_id: string }[]>`select guardian_id from public.student_guardians where student_id = ${w.fx.a.studentIds[0]} and is_primary`;
      });
      expect(primaries).toHaveLength(1);
    });
  });
});
