#!/usr/bin/env node
/**
 * `npm run bench:helpers -- --url URL --before FILE`: what a change of the RLS helpers bought, per
 * helper, in one interleaved comparison on one database.
 *
 * FILE holds the previous definitions (`create or replace function app.x() …`, e.g.
 * `git show <commit>:drizzle/<migration>.sql`). They are created in a scratch schema `app_before`
 * with every `app.` reference renamed, so a helper calls the previous versions of the helpers it
 * calls; a helper FILE does not define is copied from the database's current definition. Then, as
 * a persona of the hot path that evaluates it, each helper call is timed the way
 * `./helper-costs` times it (`select 1`, the call once, the call three times; each statement in its
 * own transaction, a prepared statement) for `app_before` and `app` alternately, and the differences
 * of medians are printed: one call (the first PL/pgSQL call of a transaction included) and each
 * further call in the same statement. The schema is dropped afterwards.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { asUser } from '../src/testing';
import { guardianChildSessions, orgAdminMonthlyBilling, personaIdentity, therapistWeekCalendar, type HotPath } from './hot-paths';
import { summarize } from './stats';
import { timeQuery } from './timing';

const USAGE = `npm run bench:helpers -- --url URL --before FILE [--iterations N] [--warmup N]

  --url URL         a seeded PostgreSQL database (npm run seed), migrated to the version measured as "after"
  --before FILE     SQL with the previous helper definitions (create or replace function app.…)
  --iterations N    timed iterations per helper call and variant (default 300)
  --warmup N        untimed iterations first (default 30)
`;

/** The helper calls the hot paths evaluate, each with the hot path whose persona evaluates it. */
const CALLS: readonly { readonly call: string; readonly path: HotPath }[] = [
  { call: 'org_ids()', path: therapistWeekCalendar },
  { call: "org_ids('{therapist}'::text[])", path: therapistWeekCalendar },
  { call: 'related_student_ids()', path: therapistWeekCalendar },
  { call: 'caseload_student_ids()', path: therapistWeekCalendar },
  { call: 'soft_deleted_ids()', path: therapistWeekCalendar },
  { call: 'related_student_ids()', path: guardianChildSessions },
  { call: 'related_session_ids()', path: guardianChildSessions },
  { call: 'guardian_student_ids()', path: guardianChildSessions },
  { call: 'conversation_peer_ids()', path: guardianChildSessions },
  { call: 'message_conversation_ids()', path: guardianChildSessions },
  { call: "org_ids('{org_admin}'::text[])", path: orgAdminMonthlyBilling },
  { call: "has_role('{org_admin,therapist,billing}'::text[])", path: orgAdminMonthlyBilling },
];

/** The `create or replace function app.…` statements of a migration, renamed into `app_before`. */
function beforeDefinitions(sql: string): { names: Set<string>; ddl: string[] } {
  const names = new Set<string>();
  const ddl: string[] = [];
  const pattern = /create or replace function app\.([a-z_]+)\([\s\S]*?\$function\$[\s\S]*?\$function\$;/gi;
  for (const match of sql.matchAll(pattern)) {
    names.add(match[1]!);
    ddl.push(match[0].replace(/\bapp\./g, 'app_before.'));
  }
  return { names, ddl };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      before: { type: 'string' },
      iterations: { type: 'string', default: '300' },
      warmup: { type: 'string', default: '30' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.url || !values.before) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 1;
  }
  const iterations = Number(values.iterations);
  const warmup = Number(values.warmup);
  const before = beforeDefinitions(readFileSync(values.before, 'utf8'));
  if (before.names.size === 0) throw new Error(`${values.before} defines no app.* function`);
  const sql = postgres(values.url, { max: 1, onnotice: () => {} });
  try {
    // The helpers FILE does not define, as they are now, calling the previous versions of the others.
    const current = await sql<{ name: string; ddl: string }[]>`
      select p.proname as name, pg_catalog.pg_get_functiondef(p.oid) as ddl
        from pg_catalog.pg_proc p where p.pronamespace = 'app'::regnamespace and p.prokind = 'f'`;
    const copied = current.filter((f) => !before.names.has(f.name)).map((f) => f.ddl.replace(/\bapp\./g, 'app_before.'));
    await sql.begin(async (tx) => {
      await tx.unsafe('drop schema if exists app_before cascade; create schema app_before');
      await tx.unsafe('set local check_function_bodies = off');
      for (const ddl of [...copied, ...before.ddl]) await tx.unsafe(ddl);
      await tx.unsafe('grant usage on schema app_before to authenticated; grant execute on all functions in schema app_before to authenticated');
    });
    const personas = new Map<HotPath, string>();
    for (const { path } of CALLS) {
      if (personas.has(path)) continue;
      const [first] = await path.cases(sql, { anchor: new Date() }, 1);
      if (!first) throw new Error(`no persona for ${path.name}`);
      personas.set(path, first.userId);
    }
    process.stdout.write('| persona | helper call | one call, before → after (ms) | each further call, before → after (ms) |\n|---|---|---:|---:|\n');
    for (const { call, path } of CALLS) {
      const userId = personas.get(path)!;
      const statements = (schema: string) => [
        'select 1 as x',
        `select (select ${schema}.${call}) as x`,
        `select ${[1, 2, 3].map((i) => `(select ${schema}.${call}) as x${i}`).join(', ')}`,
      ];
      const variants = { before: statements('app_before'), after: statements('app') };
      const samples: Record<'before' | 'after', number[][]> = { before: [[], [], []], after: [[], [], []] };
      for (let i = 0; i < warmup + iterations; i++) {
        const order = i % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
        for (const variant of order) {
          for (let k = 0; k < 3; k++) {
            const j = (i + k) % 3;
            const ms = await asUser(sql, personaIdentity(userId), async (tx) => (await timeQuery(tx, variants[variant][j]!, [], true)).ms);
            if (i >= warmup) samples[variant][j]!.push(ms);
          }
        }
      }
      const p50 = (variant: 'before' | 'after', j: number) => summarize(samples[variant][j]!).p50;
      const once = (v: 'before' | 'after') => p50(v, 1) - p50(v, 0);
      const further = (v: 'before' | 'after') => (p50(v, 2) - p50(v, 1)) / 2;
      const f = (n: number) => n.toFixed(3);
      process.stdout.write(`| ${path.persona} | \`app.${call}\` | ${f(once('before'))} → ${f(once('after'))} | ${f(further('before'))} → ${f(further('after'))} |\n`);
    }
  } finally {
    await sql.unsafe('drop schema if exists app_before cascade').catch(() => undefined);
    await sql.end({ timeout: 5 });
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:helpers: ${(error as Error).message ?? String(error)}\n`);
    process.exit(1);
  },
);
