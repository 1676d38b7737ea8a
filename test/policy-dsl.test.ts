import { PGlite } from '@electric-sql/pglite';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { boolean, pgSchema, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MEMBER_ROLES,
  PERSONAS,
  PolicyDslError,
  accessIssues,
  allow,
  always,
  and,
  anyOf,
  app,
  auth,
  col,
  eq,
  exists,
  factorSharedConjuncts,
  gt,
  inList,
  isNotNull,
  isNull,
  key,
  lit,
  missingPolicyExports,
  ne,
  noClientAccess,
  noneOf,
  roleGuarantees,
  not,
  or,
  planPolicies,
  policiesByName,
  renderAccessMatrixMarkdown,
  renderPredicate,
  renderSql,
  tableAccess,
  toAccessMatrix,
  toDrizzlePolicies,
  toGrants,
  toTestMatrix,
  unsafeRaw,
  validateAccess,
  type Operation,
  type PolicyIssue,
  type RuleOptions,
  type TableAccess,
} from '../src/policies/dsl';
import type { PredicateNode } from '../src/policies/dsl/nodes';
import { embeddedPassOnly } from './support/backend';

// Pure compilers, drizzle-kit and a PGlite of its own: nothing here reaches the suite's database.
const embeddedOnly = embeddedPassOnly('policy-dsl.test.ts');

// ---------------------------------------------------------------------------------------------
// Throwaway tables: nothing here belongs to the real schema.

const widgets = pgTable('widgets', {
  id: uuid().primaryKey().defaultRandom(),
  organizationId: uuid('organization_id').notNull(),
  ownerId: uuid('owner_id'),
  studentId: uuid('student_id'),
  status: text({ enum: ['draft', 'published', 'archived'] }).notNull().default('draft'),
  title: text().notNull(),
  shared: boolean().notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  archivedAt: timestamp('archived_at', { withTimezone: true }),
}).enableRLS();

const widgetTags = pgTable('widget_tags', {
  widgetId: uuid('widget_id').notNull(),
  organizationId: uuid('organization_id').notNull(),
  userId: uuid('user_id'),
}).enableRLS();

const gadgets = pgTable('gadgets', { id: uuid().primaryKey() }); // no RLS on purpose

const journal = pgSchema('journal');
const entries = journal.table('entries', { id: uuid().primaryKey(), actorId: uuid('actor_id') }).enableRLS();

/** Runs `fn` expecting a PolicyDslError and returns its issues. */
function issuesOf(fn: () => unknown): readonly PolicyIssue[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof PolicyDslError) return error.issues;
    throw error;
  }
  throw new Error('expected a PolicyDslError');
}

/** A therapist's own widgets, in organisations where they are a therapist: the rule establishes its role. */
const ownWidget = ({ t }: { t: typeof widgets }) => and(eq(t.ownerId, auth.uid()), anyOf(t.organizationId, app.orgIds('therapist')));
/** `ownWidget`, rendered. */
const OWN_WIDGET = `"widgets"."owner_id" = (select auth.uid()) and "widgets"."organization_id" = any ((select app.org_ids('{therapist}'::text[]))::uuid[])`;

const widgetsAccess = tableAccess(widgets, {
  tenant: { column: widgets.organizationId },
  rules: [
    allow('select', { who: 'therapist', summary: 'own widgets', using: ownWidget }),
    allow('select', { who: 'org_admin', using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')) }),
    allow(['insert', 'update'], { who: 'therapist', using: ownWidget, columns: ['status', 'title'] }),
    allow('update', { who: 'org_admin', using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')), columns: ['shared'] }),
    allow('delete', { who: 'org_admin', using: ({ t }) => and(eq(t.status, 'draft'), anyOf(t.organizationId, app.orgIds('org_admin'))) }),
  ],
});

const widgetTagsAccess = tableAccess(widgetTags, {
  tenant: { column: widgetTags.organizationId },
  rules: [allow('select', { who: 'member', using: ({ t }) => and(eq(t.userId, auth.uid()), anyOf(t.organizationId, app.orgIds())) })],
});

const entriesAccess = noClientAccess(entries, 'written only by SECURITY DEFINER triggers');

const allAccess: readonly TableAccess[] = [widgetsAccess, widgetTagsAccess, entriesAccess];

// ---------------------------------------------------------------------------------------------

describe.skipIf(embeddedOnly)('predicates render to exact SQL', () => {
  it('column references are quoted and qualified by their table (and schema when not public)', () => {
    expect(renderSql(col(widgets.ownerId))).toBe('"widgets"."owner_id"');
    expect(renderSql(col(entries.actorId))).toBe('"journal"."entries"."actor_id"');
  });

  it('comparisons, literals and null tests', () => {
    expect(renderPredicate(eq(widgets.ownerId, auth.uid()))).toBe('"widgets"."owner_id" = (select auth.uid())');
    expect(renderPredicate(eq(widgets.status, 'published'))).toBe(`"widgets"."status" = 'published'`);
    expect(renderPredicate(ne(widgets.title, "it's"))).toBe(`"widgets"."title" <> 'it''s'`);
    expect(renderPredicate(eq(widgets.shared, true))).toBe('"widgets"."shared" = true');
    expect(renderPredicate(eq(lit(1), lit(2)))).toBe('1 = 2');
    expect(renderPredicate(isNull(widgets.archivedAt))).toBe('"widgets"."archived_at" is null');
    expect(renderPredicate(isNotNull(widgets.ownerId))).toBe('"widgets"."owner_id" is not null');
    expect(renderPredicate(inList(widgets.status, ['draft', 'published']))).toBe(`"widgets"."status" in ('draft', 'published')`);
    expect(renderPredicate(gt(widgets.createdAt, unsafeRaw("now() - interval '15 minutes'")))).toBe(
      `"widgets"."created_at" > (now() - interval '15 minutes')`,
    );
  });

  it('helpers always render wrapped in (select …), array helpers cast to uuid[]', () => {
    expect(renderSql(auth.uid())).toBe('(select auth.uid())');
    expect(renderSql(app.orgIds())).toBe('(select app.org_ids())');
    // roles are put in MEMBER_ROLES order, so the same set always renders the same text
    expect(renderSql(app.orgIds('billing', 'org_admin'))).toBe(`(select app.org_ids('{org_admin,billing}'::text[]))`);
    expect(renderPredicate(anyOf(widgets.studentId, app.caseloadStudentIds()))).toBe(
      '"widgets"."student_id" = any ((select app.caseload_student_ids())::uuid[])',
    );
    expect(renderPredicate(anyOf(widgets.studentId, app.guardianStudentIds()))).toBe(
      '"widgets"."student_id" = any ((select app.guardian_student_ids())::uuid[])',
    );
    expect(renderPredicate(anyOf(widgets.id, app.conversationIds()))).toBe('"widgets"."id" = any ((select app.conversation_ids())::uuid[])');
    expect(renderPredicate(anyOf(widgets.organizationId, app.orgIds('org_admin', 'billing')))).toBe(
      `"widgets"."organization_id" = any ((select app.org_ids('{org_admin,billing}'::text[]))::uuid[])`,
    );
    expect(renderPredicate(app.isPlatformAdmin())).toBe('(select app.is_platform_admin())');
  });

  it('and/or are flattened; parentheses only where needed (and an and inside an or)', () => {
    const a = eq(widgets.ownerId, auth.uid());
    const b = eq(widgets.status, 'draft');
    const c = isNull(widgets.archivedAt);
    expect(renderPredicate(or(a, or(b, c)))).toBe(`"widgets"."owner_id" = (select auth.uid()) or "widgets"."status" = 'draft' or "widgets"."archived_at" is null`);
    expect(renderPredicate(and(a, or(b, c)))).toBe(`"widgets"."owner_id" = (select auth.uid()) and ("widgets"."status" = 'draft' or "widgets"."archived_at" is null)`);
    expect(renderPredicate(or(a, and(b, c)))).toBe(`"widgets"."owner_id" = (select auth.uid()) or ("widgets"."status" = 'draft' and "widgets"."archived_at" is null)`);
    expect(renderPredicate(not(and(b, c)))).toBe(`not ("widgets"."status" = 'draft' and "widgets"."archived_at" is null)`);
    expect(renderPredicate(not(b))).toBe(`not ("widgets"."status" = 'draft')`);
    expect(renderPredicate(not(app.isPlatformAdmin()))).toBe('not (select app.is_platform_admin())');
    expect(renderPredicate(and(a))).toBe(renderPredicate(a));
    expect(renderPredicate(and(a, unsafeRaw('1 < 2')))).toBe('"widgets"."owner_id" = (select auth.uid()) and (1 < 2)');
    expect(renderPredicate(always())).toBe('true');
  });

  it('exists subqueries correlate through an alias', () => {
    const tagged = exists(widgetTags, 'wt', (wt) => and(eq(wt.widgetId, widgets.id), eq(wt.userId, auth.uid())));
    expect(renderPredicate(tagged)).toBe(
      'exists (select 1 from "public"."widget_tags" as "wt" where "wt"."widget_id" = "widgets"."id" and "wt"."user_id" = (select auth.uid()))',
    );
    expect(renderPredicate(not(exists(widgetTags, (t) => eq(t.widgetId, widgets.id))))).toBe(
      'not exists (select 1 from "public"."widget_tags" where "widget_tags"."widget_id" = "widgets"."id")',
    );
  });

  it('is deterministic and builds frozen plain data', () => {
    const build = () => or(eq(widgets.ownerId, auth.uid()), anyOf(widgets.organizationId, app.orgIds('billing', 'org_admin')));
    expect(renderPredicate(build())).toBe(renderPredicate(build()));
    expect(build()).toEqual(build());
    const node = build();
    expect(Object.isFrozen(node)).toBe(true);
    expect(JSON.parse(JSON.stringify(node))).toEqual(node);
  });

  it('refuses wrong arguments with messages that say what to do', () => {
    expect(() => eq(widgets.ownerId, null as unknown as string)).toThrow(/isNull/);
    expect(() => app.orgIds('teacher' as never)).toThrow(/unknown member role the string "teacher"; expected one of org_admin, therapist/);
    expect(() => inList(widgets.status, [])).toThrow(/non-empty/);
    expect(() => anyOf(widgets.id, auth.uid() as never)).toThrow(/array helper/);
    expect(() => and(widgets.shared as never)).toThrow(/eq\(column, true\)/);
  });

  it('is typed: literals are checked against the column, columns against the table', () => {
    // @ts-expect-error 'deleted' is not a status
    expect(() => eq(widgets.status, 'deleted')).not.toThrow(); // renders, but does not compile
    expect(() =>
      tableAccess(widgets, {
        // @ts-expect-error a column of widget_tags outside an exists is not a column of widgets
        rules: [allow('select', { who: 'therapist', using: () => eq(widgetTags.userId, auth.uid()) })],
      }),
    ).toThrow(/widgets: select rule for therapist uses widget_tags.user_id in using, which is neither a column of widgets nor of an enclosing exists/);
    expect(() =>
      tableAccess(widgets, {
        // @ts-expect-error columns are the table's TypeScript keys
        rules: [allow('update', { who: 'therapist', using: ({ t }) => eq(t.ownerId, auth.uid()), columns: ['nope'] })],
      }),
    ).toThrow(/widgets: rule 0 lists "nope" among its columns, but widgets has no such column/);
  });
});

describe.skipIf(embeddedOnly)('policies: one permissive policy per table, operation and role', () => {
  const plans = planPolicies(widgetsAccess);

  it('has deterministic names: <table>_<operation>_<role> and <table>_tenant_isolation', () => {
    expect(plans.map((plan) => plan.name)).toEqual([
      'widgets_tenant_isolation',
      'widgets_select_authenticated',
      'widgets_insert_authenticated',
      'widgets_update_authenticated',
      'widgets_delete_authenticated',
    ]);
  });

  it('compiles the tenant column to one restrictive policy for all operations', () => {
    const tenant = plans[0];
    expect(tenant).toMatchObject({ as: 'restrictive', for: 'all', to: 'authenticated' });
    expect(tenant?.usingSql).toBe('"widgets"."organization_id" = any ((select app.org_ids())::uuid[])');
    expect(tenant?.withCheckSql).toBe(tenant?.usingSql);
  });

  it('ORs two rules for one operation into one permissive policy', () => {
    const select = plans.find((plan) => plan.for === 'select');
    expect(select).toMatchObject({ as: 'permissive', to: 'authenticated', rules: [0, 1], withCheckSql: undefined });
    expect(select?.usingSql).toBe(
      `(${OWN_WIDGET}) or "widgets"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[])`,
    );
  });

  it('uses the clauses Postgres evaluates: insert with check only, update both (check defaults to using)', () => {
    const insert = plans.find((plan) => plan.for === 'insert');
    expect(insert?.usingSql).toBeUndefined();
    expect(insert?.withCheckSql).toBe(OWN_WIDGET);
    const update = plans.find((plan) => plan.for === 'update');
    const expected = `(${OWN_WIDGET}) or "widgets"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[])`;
    expect(update?.usingSql).toBe(expected);
    expect(update?.withCheckSql).toBe(expected);
    const del = plans.find((plan) => plan.for === 'delete');
    expect(del?.withCheckSql).toBeUndefined();
  });

  it('drops duplicate predicates and gives anon rules their own policy', () => {
    const access = tableAccess(widgets, {
      rules: [
        allow('select', { who: 'therapist', using: ownWidget }),
        allow('select', { who: 'therapist', summary: 'the same predicate again', using: ownWidget }),
        allow('select', { who: 'anon', using: ({ t }) => eq(t.status, 'published'), deliberatelyPublic: 'published widgets are a public catalogue' }),
      ],
    });
    expect(planPolicies(access).map((plan) => [plan.name, plan.usingSql])).toEqual([
      ['widgets_select_authenticated', OWN_WIDGET],
      ['widgets_select_anon', `"widgets"."status" = 'published'`],
    ]);
  });

  it('compiles to Drizzle pgPolicy objects linked to the table with the Supabase roles', () => {
    const policies = toDrizzlePolicies(widgetsAccess);
    expect(policies.map((policy) => [policy.name, policy.as, policy.for])).toEqual([
      ['widgets_tenant_isolation', 'restrictive', 'all'],
      ['widgets_select_authenticated', 'permissive', 'select'],
      ['widgets_insert_authenticated', 'permissive', 'insert'],
      ['widgets_update_authenticated', 'permissive', 'update'],
      ['widgets_delete_authenticated', 'permissive', 'delete'],
    ]);
    expect((policies[1]?.to as { name: string }).name).toBe('authenticated');
    expect((policies[1] as unknown as { _linkedTable: unknown })._linkedTable).toBe(widgets);
    expect(policies[2]?.using).toBeUndefined();
  });

  it('never renders a bare auth.uid() anywhere', () => {
    const everything = allAccess.flatMap((access) => planPolicies(access)).flatMap((plan) => [plan.usingSql ?? '', plan.withCheckSql ?? '']);
    const all = everything.join('\n');
    expect(all).toContain('(select auth.uid())');
    expect(all.replace(/\(select auth\.uid\(\)\)/g, '')).not.toMatch(/auth\.uid\(\)/);
  });
});

describe.skipIf(embeddedOnly)('grants: least privilege, one DDL object per table', () => {
  it('revokes the Supabase defaults, then grants the covered operations and the union of update columns', () => {
    const [grants] = toGrants([widgetsAccess]);
    expect(grants).toMatchObject({ kind: 'grant', key: 'grants on public.widgets', phase: 'post', onChange: 'replace' });
    expect(grants?.create).toEqual([
      'revoke all on table public.widgets from anon, authenticated',
      'grant select, insert, delete on table public.widgets to authenticated',
      'grant update (status, title, shared) on table public.widgets to authenticated',
      'grant select, insert, update, delete on table public.widgets to service_role',
    ]);
    expect(grants?.drop).toEqual([
      "do $$ begin if to_regclass('public.widgets') is not null then execute 'revoke all on table public.widgets from anon, authenticated'; end if; end $$",
    ]);
  });

  it('grants whole-table update when any update rule has no column list, and notes it in the matrix', () => {
    const access = tableAccess(widgets, {
      rules: [
        allow('update', { who: 'therapist', using: ownWidget, columns: ['title'] }),
        allow('update', { who: 'org_admin', using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')) }),
      ],
    });
    expect(toGrants([access])[0]?.create).toEqual([
      'revoke all on table public.widgets from anon, authenticated',
      'grant update on table public.widgets to authenticated',
      'grant select, insert, update, delete on table public.widgets to service_role',
    ]);
    expect(toAccessMatrix([access]).tables[0]?.notes[0]).toMatch(/rule\(s\) 0 list columns but rule\(s\) 1 do not/);
  });

  it('gives a table without client access nothing but the revoke (and the server its DML)', () => {
    expect(toGrants([entriesAccess])[0]?.create).toEqual([
      'revoke all on table journal.entries from anon, authenticated',
      'grant select, insert, update, delete on table journal.entries to service_role',
    ]);
    expect(planPolicies(entriesAccess)).toEqual([]);
  });
});

describe.skipIf(embeddedOnly)('validation refuses unsafe or incomplete declarations', () => {
  it('refuses a table without a policy, naming it (coverage over all tables)', () => {
    const issues = issuesOf(() => validateAccess([widgetsAccess, entriesAccess], [widgets, widgetTags, entries]));
    expect(issues).toEqual([
      expect.objectContaining({ code: 'missing_access', table: 'widget_tags', message: expect.stringContaining('widget_tags: table without a policy') }),
    ]);
    expect(() => validateAccess(allAccess, { widgets, widgetTags, entries, notATable: 42 })).not.toThrow();
  });

  it('refuses a table without RLS, at declaration and in the coverage check', () => {
    const declared = issuesOf(() =>
      tableAccess(gadgets as never, { rules: [allow('select', { who: 'member', using: and(eq(gadgets.id, auth.uid()), app.hasRole('therapist')) as never })] }),
    );
    expect(declared.map((issue) => issue.code)).toEqual(['rls_disabled']);
    expect(declared[0]?.message).toMatch(/^gadgets: row level security is not enabled; call \.enableRLS\(\)/);
    const coverage = issuesOf(() => validateAccess(allAccess, [widgets, widgetTags, entries, gadgets]));
    expect(coverage.map((issue) => [issue.code, issue.table])).toEqual([
      ['rls_disabled', 'gadgets'],
      ['missing_access', 'gadgets'],
    ]);
    // and at the type level:
    // @ts-expect-error gadgets never had .enableRLS() called
    expect(() => noClientAccess(gadgets, 'x')).toThrow(/gadgets: row level security is not enabled/);
  });

  it('refuses using (true) unless the rule is deliberatelyPublic', () => {
    const issues = issuesOf(() => tableAccess(widgets, { rules: [allow('select', { who: 'member', using: () => always() })] }));
    expect(issues.map((issue) => issue.message)).toEqual([
      `widgets: select rule for member allows every row (using is always true); mark the rule deliberatelyPublic: '<why>' if that is intended`,
    ]);
    expect(issuesOf(() => tableAccess(widgets, { rules: [allow('select', { who: 'member', using: ({ t }) => or(isNull(t.ownerId), always()) })] }))[0]?.code).toBe(
      'always_true',
    );
    expect(issuesOf(() => tableAccess(widgets, { rules: [allow('select', { who: 'member', using: unsafeRaw(' ( TRUE ) ') })] }))[0]?.code).toBe('always_true');
    const open = tableAccess(widgets, { rules: [allow('select', { who: 'member', using: always(), deliberatelyPublic: 'reference data every member reads' })] });
    expect(planPolicies(open)[0]?.usingSql).toBe('true');
    expect(issuesOf(() => tableAccess(widgets, { rules: [allow('select', { who: 'member', using: always(), deliberatelyPublic: ' ' })] }))[0]?.code).toBe(
      'public_without_reason',
    );
  });

  it('refuses anon rules without a reason', () => {
    const issues = issuesOf(() => tableAccess(widgets, { rules: [allow('select', { who: 'anon', using: ({ t }) => eq(t.status, 'published') })] }));
    expect(issues[0]?.message).toBe(`widgets: select rule for anon opens rows to unauthenticated requests (anon); mark it deliberatelyPublic: '<why>'`);
  });

  it('refuses unsafeRaw with a bare auth.uid() or app helper call, accepts the wrapped form', () => {
    const issues = issuesOf(() =>
      tableAccess(widgets, {
        rules: [
          allow('select', {
            who: 'therapist',
            using: ({ t }) => and(unsafeRaw('owner_id = auth.uid() or organization_id = any(app.org_ids())'), anyOf(t.organizationId, app.orgIds('therapist'))),
          }),
        ],
      }),
    );
    expect(issues.map((issue) => [issue.code, issue.operation])).toEqual([
      ['bare_helper_call', 'select'],
      ['bare_helper_call', 'select'],
    ]);
    expect(issues[0]?.message).toMatch(/^widgets: select rule for therapist calls auth\.uid\(\) without \(select …\)/);
    expect(issues[1]?.message).toMatch(/calls app\.org_ids\(\)/);
    expect(() =>
      tableAccess(widgets, {
        rules: [allow('select', { who: 'therapist', using: ({ t }) => and(unsafeRaw('owner_id = ( SELECT auth.uid())'), anyOf(t.organizationId, app.orgIds('therapist'))) })],
      }),
    ).not.toThrow();
  });

  it('refuses an insert rule with using (Postgres ignores it) and a select rule with withCheck', () => {
    const insert = issuesOf(() => tableAccess(widgets, { rules: [allow('insert', { who: 'therapist', using: ownWidget })] }));
    expect(insert.map((issue) => issue.code)).toEqual(['insert_using', 'missing_clause']);
    expect(insert[0]?.message).toBe(
      'widgets: insert rule for therapist has a using predicate, which Postgres ignores for insert; write it as withCheck (the rows it may create)',
    );
    const select = issuesOf(() =>
      tableAccess(widgets, { rules: [allow('select', { who: 'therapist', using: ownWidget, withCheck: ownWidget })] }),
    );
    expect(select.map((issue) => issue.code)).toEqual(['ignored_clause']);
    const noUsing = issuesOf(() => tableAccess(widgets, { rules: [allow('delete', { who: 'therapist' })] }));
    expect(noUsing[0]?.message).toBe('widgets: delete rule for therapist has no using predicate; delete needs one (the existing rows it may delete)');
  });

  it('refuses an update rule that lets a user move a row to another tenant', () => {
    const issues = issuesOf(() =>
      tableAccess(widgets, {
        tenant: { column: widgets.organizationId },
        rules: [allow('update', { who: 'therapist', using: ownWidget, columns: ['title', 'organizationId'] })],
      }),
    );
    expect(issues).toEqual([
      {
        code: 'tenant_column_updatable',
        table: 'widgets',
        operation: 'update',
        path: ['widgets', 'rules', 0, 'columns'],
        message: 'widgets: update rule for therapist lists organization_id among updatable columns; a user can never move a row to another tenant',
      },
    ]);
  });

  it('refuses operations that are not operations, empty rule lists and exists over the table itself', () => {
    expect(issuesOf(() => tableAccess(widgets, { rules: [allow('all' as never, { who: 'org_admin', using: always() })] }))[0]?.message).toMatch(
      /widgets: rule 0 allows "all", which is not an operation/,
    );
    expect(issuesOf(() => tableAccess(widgets, { rules: [] }))[0]?.message).toMatch(/widgets: no rules; if API users must not reach this table, declare noClientAccess/);
    const self = issuesOf(() =>
      tableAccess(widgets, {
        rules: [allow('select', { who: 'therapist', using: ({ t }) => exists(widgets, 'w2', (w2) => and(eq(w2.id, t.id), anyOf(w2.organizationId, app.orgIds('therapist')))) })],
      }),
    );
    expect(self.map((issue) => issue.code)).toEqual(['self_reference']);
  });

  it('refuses policies that read each other in a cycle', () => {
    const a = tableAccess(widgets, {
      rules: [allow('select', { who: 'member', using: ({ t }) => exists(widgetTags, 'wt', (wt) => and(eq(wt.widgetId, t.id), anyOf(wt.organizationId, app.orgIds()))) })],
    });
    const b = tableAccess(widgetTags, {
      rules: [allow('select', { who: 'member', using: ({ t }) => exists(widgets, 'w', (w) => and(eq(w.id, t.widgetId), anyOf(w.organizationId, app.orgIds()))) })],
    });
    const issues = accessIssues([a, b], [widgets, widgetTags]);
    expect(issues.map((issue) => issue.message)).toEqual([
      expect.stringMatching(/^widget_tags: policies read each other in a cycle \(widget_tags → widgets → widget_tags\)/),
    ]);
  });

  it('refuses two declarations for one table and declarations for tables the schema lacks', () => {
    const issues = accessIssues([widgetsAccess, widgetsAccess, widgetTagsAccess, entriesAccess], [widgets, widgetTags]);
    expect(issues.map((issue) => [issue.code, issue.table])).toEqual([
      ['duplicate_access', 'widgets'],
      ['unknown_table', 'journal.entries'],
    ]);
  });

  it('lists every issue of a table, Zod-style', () => {
    try {
      tableAccess(widgets, {
        rules: [
          allow('insert', { who: 'therapist', using: ownWidget }),
          allow('select', { who: 'member', using: always() }),
        ],
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyDslError);
      expect((error as Error).message).toBe(
        [
          'Invalid access declarations (3 issues):',
          '✖ widgets: insert rule for therapist has a using predicate, which Postgres ignores for insert; write it as withCheck (the rows it may create)',
          '  → at widgets.rules[0].using',
          '✖ widgets: insert rule for therapist has no withCheck predicate; insert needs one (the rows it may create)',
          '  → at widgets.rules[0].withCheck',
          `✖ widgets: select rule for member allows every row (using is always true); mark the rule deliberatelyPublic: '<why>' if that is intended`,
          '  → at widgets.rules[1].using',
        ].join('\n'),
      );
    }
  });
});

describe.skipIf(embeddedOnly)('no arm without a role: every rule establishes the persona it serves', () => {
  /** The arm_without_role issues of a one-rule declaration on widgets (none when it is accepted). */
  const roleIssue = (rule: RuleOptions<typeof widgets>, operations: Operation | readonly [Operation, ...Operation[]] = 'select'): PolicyIssue[] => {
    try {
      tableAccess(widgets, { rules: [allow(operations, rule)] });
      return [];
    } catch (error) {
      if (!(error instanceof PolicyDslError)) throw error;
      return error.issues.filter((issue) => issue.code === 'arm_without_role');
    }
  };

  it('refuses an arm that compares auth.uid() alone: the author, therapist or uploader of any role, status or organisation', () => {
    const issues = roleIssue({ who: 'therapist', using: ({ t }) => eq(t.ownerId, auth.uid()) });
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'arm_without_role',
        table: 'widgets',
        operation: 'select',
        path: ['widgets', 'rules', 0, 'using'],
        message: expect.stringMatching(/^widgets: select rule for therapist does not establish the role it serves: nothing in its using requires the caller to be therapist/),
      }),
    ]);
    // an insert rule is checked on its withCheck, an update rule on both clauses
    expect(roleIssue({ who: 'therapist', withCheck: ({ t }) => eq(t.ownerId, auth.uid()) }, 'insert').map((i) => i.path)).toEqual([
      ['widgets', 'rules', 0, 'withCheck'],
    ]);
    expect(roleIssue({ who: 'therapist', using: ownWidget, withCheck: ({ t }) => eq(t.ownerId, auth.uid()) }, 'update').map((i) => i.path)).toEqual([
      ['widgets', 'rules', 0, 'withCheck'],
    ]);
  });

  it("refuses a helper of another role, and an or whose branches do not all establish the rule's role", () => {
    expect(roleIssue({ who: 'therapist', using: ({ t }) => anyOf(t.organizationId, app.orgIds('guardian')) })).toHaveLength(1);
    expect(roleIssue({ who: 'therapist', using: ({ t }) => anyOf(t.organizationId, app.orgIds()) })).toHaveLength(1); // any role is not the therapist role
    expect(roleIssue({ who: 'therapist', using: ({ t }) => anyOf(t.studentId, app.relatedStudentIds()) })).toHaveLength(1); // guardians and students too
    expect(roleIssue({ who: 'org_admin', using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin', 'billing')) })).toHaveLength(1);
    expect(
      roleIssue({
        who: 'therapist',
        using: ({ t }) => or(anyOf(t.studentId, app.caseloadStudentIds()), eq(t.ownerId, auth.uid())),
      }),
    ).toHaveLength(1);
    expect(roleIssue({ who: 'therapist', using: ({ t }) => not(anyOf(t.organizationId, app.orgIds('therapist'))) })).toHaveLength(1);
    expect(roleIssue({ who: 'therapist', using: ({ t }) => noneOf([t.studentId], app.softDeletedIds()) })).toHaveLength(1);
    expect(roleIssue({ who: 'member', using: () => app.isActiveUser() })).toHaveLength(1); // an active account is not a membership
  });

  it('accepts the role helpers, for the personas they serve', () => {
    expect(roleIssue({ who: 'therapist', using: ownWidget })).toEqual([]);
    expect(roleIssue({ who: 'therapist', using: ({ t }) => anyOf(t.studentId, app.caseloadStudentIds()) })).toEqual([]);
    expect(roleIssue({ who: ['therapist', 'guardian', 'student'], using: ({ t }) => anyOf(t.studentId, app.relatedStudentIds()) })).toEqual([]);
    expect(roleIssue({ who: 'supervisor', using: ({ t }) => anyOf(key(t.organizationId, t.ownerId), app.supervisionKeys()) })).toEqual([]);
    expect(roleIssue({ who: 'member', using: ({ t }) => anyOf(t.organizationId, app.orgIds('guardian')) })).toEqual([]); // stricter than any member
    expect(roleIssue({ who: 'self', using: ({ t }) => and(eq(t.ownerId, auth.uid()), app.isActiveUser()) })).toEqual([]);
    expect(
      roleIssue({
        who: 'therapist',
        using: ({ t }) => or(anyOf(t.studentId, app.caseloadStudentIds()), and(eq(t.ownerId, auth.uid()), anyOf(t.organizationId, app.orgIds('therapist')))),
      }),
    ).toEqual([]);
    expect(roleIssue({ who: 'member', using: ({ t }) => exists(widgetTags, 'wt', (wt) => and(eq(wt.widgetId, t.id), anyOf(wt.organizationId, app.orgIds()))) })).toEqual([]);
    // public rules serve no role
    expect(roleIssue({ who: 'anon', using: ({ t }) => eq(t.status, 'published'), deliberatelyPublic: 'a public catalogue' })).toEqual([]);
  });

  it('says what each predicate guarantees about the caller', () => {
    const names = (p: Parameters<typeof roleGuarantees>[0]) => roleGuarantees(p).map((g) => [...g].sort());
    expect(names(eq(widgets.ownerId, auth.uid()))).toEqual([]);
    expect(names(anyOf(widgets.organizationId, app.orgIds('billing', 'org_admin')))).toEqual([['billing', 'org_admin']]);
    expect(names(or(anyOf(widgets.studentId, app.guardianStudentIds()), anyOf(widgets.studentId, app.ownStudentIds())))).toEqual([['guardian', 'student']]);
    expect(names(and(app.isActiveUser(), anyOf(widgets.organizationId, app.orgIds('therapist'))))).toEqual([['self'], ['therapist']]);
  });

  it('holds for every rule of the real policies (tableAccess refuses at declaration, so the package cannot load otherwise)', async () => {
    const { allAccess: real } = await import('../src/policies');
    const { allTables } = await import('../src/schema');
    expect(accessIssues(real, allTables).filter((issue) => issue.code === 'arm_without_role')).toEqual([]);
    expect(real.flatMap((a) => a.rules).length).toBeGreaterThan(100);
  });
});

describe.skipIf(embeddedOnly)('composite keys, exclusion sets and own rows', () => {
  it('renders a key against a key helper, and refuses mixing keys and uuid helpers', () => {
    expect(renderPredicate(anyOf(key(widgets.organizationId, widgets.ownerId), app.supervisionKeys()))).toBe(
      `("widgets"."organization_id"::text || '/' || "widgets"."owner_id"::text) = any ((select app.supervision_keys())::text[])`,
    );
    expect(() => anyOf(key(widgets.organizationId, widgets.ownerId), app.orgIds() as never)).toThrow(/key helper such as app\.supervisionKeys\(\)/);
    expect(() => anyOf(widgets.ownerId, app.supervisionKeys() as never)).toThrow(/a key helper needs key\(…\) on the left/);
  });

  it('renders noneOf as a null-safe array overlap', () => {
    expect(renderPredicate(noneOf([widgets.studentId, widgets.id], app.softDeletedIds()))).toBe(
      'not (array["widgets"."student_id", "widgets"."id"] && (select app.soft_deleted_ids())::uuid[])',
    );
    expect(() => noneOf([] as never, app.softDeletedIds())).toThrow(/non-empty/);
  });

  it('lets the signed-in user\'s own rows through the tenant policy when the declaration says why', () => {
    const access = tableAccess(widgets, {
      tenant: { column: widgets.organizationId, ownRows: { column: widgets.ownerId, reason: 'invitations are read before the organisation counts the user' } },
      rules: [allow('select', { who: 'self', using: ({ t }) => and(eq(t.ownerId, auth.uid()), app.isActiveUser()) })],
    });
    expect(planPolicies(access)[0]?.usingSql).toBe(
      '"widgets"."organization_id" = any ((select app.org_ids())::uuid[]) or "widgets"."owner_id" = (select auth.uid())',
    );
    expect(renderAccessMatrixMarkdown(toAccessMatrix([access]))).toContain(
      "The signed-in user's own rows pass the tenant policy: invitations are read before the organisation counts the user.",
    );
    const issues = issuesOf(() =>
      tableAccess(widgets, { tenant: { column: widgets.organizationId, ownRows: { column: widgets.ownerId, reason: ' ' } }, rules: [allow('select', { who: 'org_admin', using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')) })] }),
    );
    expect(issues.map((issue) => [issue.code, issue.path.join('.')])).toEqual([['invalid_tenant', 'widgets.tenant.ownRows.reason']]);
  });

  it('writes the tenant guard as a filter the planner does not estimate when the declaration says why', () => {
    const reason = "the table's queries pin organization_id themselves";
    const access = tableAccess(widgets, {
      tenant: { column: widgets.organizationId, guardAsFilter: reason },
      rules: [allow('select', { who: 'org_admin', using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')) })],
    });
    const guard = planPolicies(access)[0]!;
    expect([guard.as, guard.usingSql, guard.withCheckSql]).toEqual([
      'restrictive',
      'pg_catalog.array_position((select app.org_ids())::uuid[], "widgets"."organization_id") is not null',
      'pg_catalog.array_position((select app.org_ids())::uuid[], "widgets"."organization_id") is not null',
    ]);
    // only the guard: the rules' anyOf keep their indexable form
    expect(planPolicies(access)[1]?.usingSql).toBe(`"widgets"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[])`);
    expect(renderAccessMatrixMarkdown(toAccessMatrix([access]))).toContain(`The guard is a filter the planner does not estimate: ${reason}.`);
    const issues = issuesOf(() =>
      tableAccess(widgets, { tenant: { column: widgets.organizationId, guardAsFilter: '' }, rules: [allow('select', { who: 'org_admin', using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')) })] }),
    );
    expect(issues.map((issue) => [issue.code, issue.path.join('.')])).toEqual([['invalid_tenant', 'widgets.tenant.guardAsFilter']]);
    // array_position finds a null element: a nullable tenant column could pass where = any would not
    const sharedThings = pgTable('shared_things', { id: uuid('id').primaryKey(), organizationId: uuid('organization_id') }).enableRLS();
    const nullable = issuesOf(() =>
      tableAccess(sharedThings, { tenant: { column: sharedThings.organizationId, guardAsFilter: reason }, rules: [allow('select', { who: 'member', using: ({ t }) => anyOf(t.organizationId, app.orgIds()) })] }),
    );
    expect(nullable.map((issue) => issue.message)).toEqual([`shared_things: tenant.guardAsFilter needs a not-null tenant column (organization_id may be null)`]);
  });

  it('lets the same rows through in its filter form, for a not-null column: a row passes a policy only when the predicate is true', async () => {
    const db = new PGlite();
    try {
      const { rows } = await db.query<{ org: string | null; orgs: string | null; indexed: boolean | null; filter: boolean | null }>(`
        select org::text, orgs::text, org = any (orgs) as indexed, pg_catalog.array_position(orgs, org) is not null as filter
          from (values ('a'), ('b')) v(o)
          cross join (values (array['a', 'c']), (array[]::text[]), (null::text[]), (array['a', null])) w(orgs)
          cross join lateral (select o::text as org) x`);
      expect(rows).toHaveLength(8);
      for (const row of rows) expect(row.filter, JSON.stringify(row)).toBe(row.indexed === true);
    } finally {
      await db.close();
    }
  });
});

describe.skipIf(embeddedOnly)('a helper call several arms share is factored out of them, the same rows', () => {
  const live = ({ t }: { t: typeof widgets }) => noneOf([t.studentId], app.softDeletedIds());
  const LIVE = 'not (array["widgets"."student_id"] && (select app.soft_deleted_ids())::uuid[])';

  it('once, after the arms it ended, in the place of the first of them', () => {
    const access = tableAccess(widgets, {
      tenant: { column: widgets.organizationId },
      rules: [
        allow('select', { who: 'therapist', using: (c) => and(ownWidget(c), live(c)) }),
        allow('select', { who: 'org_admin', using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')) }),
        allow('select', { who: 'guardian', using: (c) => and(anyOf(c.t.studentId, app.guardianStudentIds()), live(c)) }),
      ],
    });
    expect(planPolicies(access).find((plan) => plan.for === 'select')?.usingSql).toBe(
      `(((${OWN_WIDGET}) or "widgets"."student_id" = any ((select app.guardian_student_ids())::uuid[])) and ${LIVE})` +
        ` or "widgets"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[])`,
    );
  });

  it('first when the arms started with it, and not at all when it is no helper call', () => {
    const access = tableAccess(widgets, {
      tenant: { column: widgets.organizationId },
      rules: [
        allow('select', { who: 'therapist', using: ({ t }) => and(eq(t.ownerId, auth.uid()), eq(t.status, 'draft'), anyOf(t.organizationId, app.orgIds('therapist'))) }),
        allow('select', { who: 'guardian', using: ({ t }) => and(eq(t.ownerId, auth.uid()), eq(t.status, 'draft'), anyOf(t.studentId, app.guardianStudentIds())) }),
      ],
    });
    expect(planPolicies(access).find((plan) => plan.for === 'select')?.usingSql).toBe(
      `"widgets"."owner_id" = (select auth.uid()) and (("widgets"."status" = 'draft' and "widgets"."organization_id" = any ((select app.org_ids('{therapist}'::text[]))::uuid[]))` +
        ` or ("widgets"."status" = 'draft' and "widgets"."student_id" = any ((select app.guardian_student_ids())::uuid[])))`,
    );
  });

  // Three-valued logic (a helper may be null), evaluated on the predicate trees.
  const ATOMS = [app.isActiveUser(), app.hasRole('org_admin'), app.hasRole('therapist'), app.hasRole('guardian'), app.hasRole('billing')] as PredicateNode[];
  type Truth = boolean | null;
  function evaluate(predicate: PredicateNode, values: ReadonlyMap<string, Truth>): Truth {
    switch (predicate.kind) {
      case 'and': {
        const results = predicate.operands.map((p) => evaluate(p, values));
        return results.includes(false) ? false : results.includes(null) ? null : true;
      }
      case 'or': {
        const results = predicate.operands.map((p) => evaluate(p, values));
        return results.includes(true) ? true : results.includes(null) ? null : false;
      }
      case 'not': {
        const result = evaluate(predicate.operand, values);
        return result === null ? null : !result;
      }
      default:
        return values.get(renderPredicate(predicate)) ?? null;
    }
  }
  const arm = fc.uniqueArray(fc.integer({ min: 0, max: ATOMS.length - 1 }), { minLength: 1, maxLength: 3 }).chain((indexes) =>
    fc.tuple(fc.constant(indexes), fc.array(fc.boolean(), { minLength: indexes.length, maxLength: indexes.length })),
  );

  it('returns the same truth value as the arms it was given, for every value of every helper (true, false, null)', () => {
    fc.assert(
      fc.property(fc.array(arm, { minLength: 1, maxLength: 6 }), (specs) => {
        const arms = specs.map(([indexes, negated]) => {
          const conjuncts = indexes.map((i, k) => (negated[k] ? not(ATOMS[i]!) : ATOMS[i]!)) as PredicateNode[];
          return conjuncts.length === 1 ? conjuncts[0]! : (and(...(conjuncts as [PredicateNode, ...PredicateNode[]])) as PredicateNode);
        });
        const before = or(...(arms as [PredicateNode, ...PredicateNode[]])) as PredicateNode;
        const after = or(...(factorSharedConjuncts(arms) as [PredicateNode, ...PredicateNode[]])) as PredicateNode;
        const names = ATOMS.map((atom) => renderPredicate(atom));
        for (let assignment = 0; assignment < 3 ** names.length; assignment++) {
          const values = new Map(names.map((name, i): [string, Truth] => [name, [true, false, null][Math.floor(assignment / 3 ** i) % 3] as Truth]));
          expect(evaluate(after, values)).toBe(evaluate(before, values));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe.skipIf(embeddedOnly)('access matrix and test matrix', () => {
  it('renders a deterministic markdown document, independent of declaration order', () => {
    const once = renderAccessMatrixMarkdown(toAccessMatrix(allAccess));
    const again = renderAccessMatrixMarkdown(toAccessMatrix([...allAccess].reverse()));
    expect(again).toBe(once);
    expect(once).toContain(`| table | ${PERSONAS.join(' | ')} |`);
    expect(once).toContain('| journal.entries | – | – | – | – | – | – | – | – | – | – | – |');
    expect(once).toContain('| widget_tags | R | R | R | R | R | R | R | – | R | – | – |');
    expect(once).toContain('| widgets | RUD | CRU | CRU | – | – | – | – | – | – | – | – |');
    expect(once).toContain(`| 0 | select | therapist | own widgets | \`${OWN_WIDGET}\` |  |  |`);
    expect(once).toContain('No client access: written only by SECURITY DEFINER triggers.');
    expect(once).toContain(`- \`widgets_select_authenticated\` — permissive, for select, to authenticated: using \`(${OWN_WIDGET}) or`);
    expect(once).toContain('grant update (status, title, shared) on table public.widgets to authenticated;');
  });

  it('has one row per table × persona × operation × rule', () => {
    const { rows } = toAccessMatrix([widgetsAccess]);
    expect(rows.filter((row) => row.persona === 'therapist').map((row) => [row.operation, row.rule, row.summary, row.columns])).toEqual([
      ['select', 0, 'own widgets', undefined],
      ['insert', 2, OWN_WIDGET, undefined],
      ['update', 2, OWN_WIDGET, ['status', 'title']],
    ]);
  });

  it('gives every table × persona × operation a verdict, with the rules that allow it', () => {
    const cases = toTestMatrix(allAccess);
    expect(cases).toHaveLength(allAccess.length * PERSONAS.length * 4);
    const find = (id: string) => cases.find((c) => c.id === id);
    expect(find('widgets › therapist › update')).toMatchObject({ expected: 'allowed', role: 'authenticated', rules: [2], columns: ['status', 'title'] });
    expect(find('widgets › therapist › delete')).toMatchObject({ expected: 'denied', rules: [] });
    expect(find('widgets › supervisor › select')).toMatchObject({ expected: 'allowed', rules: [0] }); // a supervisor is a therapist
    expect(find('widget_tags › guardian › select')).toMatchObject({ expected: 'allowed' }); // via member
    expect(find('widget_tags › anon › select')).toMatchObject({ expected: 'denied', role: 'anon' });
    expect(find('journal.entries › org_admin › select')).toMatchObject({ expected: 'denied' });
  });

  it('exports the persona and member-role lists', () => {
    expect(MEMBER_ROLES).toEqual(['org_admin', 'therapist', 'school_staff', 'guardian', 'student', 'billing']);
    expect(PERSONAS).toContain('platform_admin');
  });
});

describe.skipIf(embeddedOnly)('drizzle-kit and Postgres accept the compiled policies', () => {
  const policyExports = { ...policiesByName(widgetsAccess), ...policiesByName(widgetTagsAccess) };

  it('tells which compiled policies a module forgets to export', () => {
    expect(missingPolicyExports(policyExports, allAccess)).toEqual([]);
    const { widgets_delete_authenticated: _omitted, ...rest } = policyExports;
    expect(missingPolicyExports(rest, allAccess)).toEqual(['widgets_delete_authenticated']);
  });

  async function migrationSql(): Promise<string[]> {
    return generateMigration(generateDrizzleJson({}), generateDrizzleJson({ widgets, widgetTags, ...policyExports }));
  }

  it('generates CREATE POLICY statements with the rendered predicates', async () => {
    const statements = await migrationSql();
    expect(statements).toContain(
      `CREATE POLICY "widgets_select_authenticated" ON "widgets" AS PERMISSIVE FOR SELECT TO "authenticated" USING ((${OWN_WIDGET}) or "widgets"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));`,
    );
    expect(statements).toContain(
      'CREATE POLICY "widgets_tenant_isolation" ON "widgets" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("widgets"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("widgets"."organization_id" = any ((select app.org_ids())::uuid[]));',
    );
    expect(statements).toContain(
      `CREATE POLICY "widgets_insert_authenticated" ON "widgets" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK (${OWN_WIDGET});`,
    );
  });

  it('is valid SQL that Postgres enforces (PGlite with auth/app stand-ins)', async () => {
    const db = new PGlite();
    try {
      await db.exec(`
        create role anon nologin; create role authenticated nologin; create role service_role nologin bypassrls;
        create schema auth; create schema app;
        create function auth.uid() returns uuid language sql stable as $$ select nullif(current_setting('test.uid', true), '')::uuid $$;
        create function app.org_ids(p_roles text[] default null) returns uuid[] language sql stable as $$
          select case when p_roles is null or 'org_admin' <> all (p_roles) or current_setting('test.admin', true) = 'on'
                      then array[nullif(current_setting('test.org', true), '')::uuid] else '{}'::uuid[] end $$;
        create function app.caseload_student_ids() returns uuid[] language sql stable as $$ select '{}'::uuid[] $$;
        create function app.guardian_student_ids() returns uuid[] language sql stable as $$ select '{}'::uuid[] $$;
        create function app.conversation_ids() returns uuid[] language sql stable as $$ select '{}'::uuid[] $$;
        create function app.is_platform_admin() returns boolean language sql stable as $$ select false $$;
        grant usage on schema auth, app to anon, authenticated;
      `);
      for (const statement of (await migrationSql()).flatMap((s) => s.split('--> statement-breakpoint'))) await db.exec(statement);
      for (const object of toGrants([widgetsAccess, widgetTagsAccess])) for (const statement of object.create) await db.exec(statement);

      const org = '00000000-0000-0000-0000-00000000000a';
      const other = '00000000-0000-0000-0000-00000000000b';
      const me = '00000000-0000-0000-0000-000000000001';
      await db.exec(`
        insert into widgets (organization_id, owner_id, title) values
          ('${org}', '${me}', 'mine'), ('${org}', null, 'colleague''s'), ('${other}', '${me}', 'mine elsewhere');
      `);
      const asUser = async (settings: Record<string, string>, query: string): Promise<unknown[]> =>
        db.transaction(async (tx) => {
          await tx.exec(`set local role authenticated; ${Object.entries(settings).map(([k, v]) => `set local test.${k} = '${v}';`).join(' ')}`);
          return (await tx.query(query)).rows;
        });

      // therapist: own rows, and only inside the current organisation (restrictive tenant policy)
      expect(await asUser({ uid: me, org }, 'select title from widgets order by title')).toEqual([{ title: 'mine' }]);
      // org admin: every row of the organisation
      expect(await asUser({ uid: me, org, admin: 'on' }, 'select title from widgets order by title')).toEqual([{ title: "colleague's" }, { title: 'mine' }]);
      // column grant: title is updatable, organization_id is not
      expect(await asUser({ uid: me, org }, `update widgets set title = 'renamed' where title = 'mine' returning title`)).toEqual([{ title: 'renamed' }]);
      await expect(asUser({ uid: me, org }, `update widgets set organization_id = '${other}'`)).rejects.toThrow(/permission denied/);
      // insert outside my organisation fails the tenant policy's with check
      await expect(asUser({ uid: me, org }, `insert into widgets (organization_id, owner_id, title) values ('${other}', '${me}', 'x')`)).rejects.toThrow(
        /row-level security/,
      );
    } finally {
      await db.close();
    }
  });
});
