import type postgres from 'postgres';
import type { Logger } from '../src/log';

/**
 * What-if experiments on a seeded bench database. Each one changes the database for the duration of
 * a bench run and restores it afterwards (also when the run fails).
 *
 * `plpgsql-helpers`: the RLS helpers (`app.*`, SECURITY DEFINER, `language sql`) are rewritten as
 * PL/pgSQL functions with the same signature, body, volatility, security and search_path. On
 * PostgreSQL ≤ 17 a non-inlinable SQL function is parsed and planned again in every statement that
 * calls it; PL/pgSQL caches the plan of its body for the session, so every call after the first in
 * a connection skips the planner.
 *
 * (An earlier `students-school-index` experiment — `students (school_id) where deleted_at is null`
 * for `app.school_student_ids()` — is now part of the schema, commit 5e35dba.)
 */
export const experiments = ['plpgsql-helpers'] as const;
export type Experiment = (typeof experiments)[number];

interface HelperDefinition {
  readonly name: string;
  readonly args: string;
  readonly result: string;
  readonly body: string;
  readonly definition: string;
}

/** Runs `fn` under every experiment of the list (applied in order, restored in reverse). */
export async function withExperiments<T>(sql: postgres.Sql, list: readonly Experiment[], log: Logger, fn: () => Promise<T>): Promise<T> {
  const [first, ...rest] = list;
  if (!first) return fn();
  return withExperiment(sql, first, log, () => withExperiments(sql, rest, log, fn));
}

export async function withExperiment<T>(sql: postgres.Sql, experiment: Experiment, log: Logger, fn: () => Promise<T>): Promise<T> {
  switch (experiment) {
    case 'plpgsql-helpers':
      return withPlpgsqlHelpers(sql, log, fn);
  }
}

async function withPlpgsqlHelpers<T>(sql: postgres.Sql, log: Logger, fn: () => Promise<T>): Promise<T> {
  const helpers = await sql<HelperDefinition[]>`
    select p.proname as name, pg_catalog.pg_get_function_arguments(p.oid) as args,
           pg_catalog.pg_get_function_result(p.oid) as result, p.prosrc as body,
           pg_catalog.pg_get_functiondef(p.oid) as definition
      from pg_catalog.pg_proc p
      join pg_catalog.pg_namespace n on n.oid = p.pronamespace
      join pg_catalog.pg_language l on l.oid = p.prolang
     where n.nspname = 'app' and l.lanname = 'sql' and p.prosecdef and p.provolatile = 's' and p.prokind = 'f'
     order by p.proname`;
  await sql.begin(async (tx) => {
    for (const h of helpers) {
      await tx.unsafe(`create or replace function app.${h.name}(${h.args}) returns ${h.result}
language plpgsql stable security definer set search_path = ''
as $experiment$
begin
  return (${h.body.trim().replace(/;\s*$/, '')});
end
$experiment$`);
    }
  });
  log(`experiment plpgsql-helpers: ${helpers.length} helpers rewritten as PL/pgSQL (${helpers.map((h) => `app.${h.name}`).join(', ')})`);
  try {
    return await fn();
  } finally {
    await sql.begin(async (tx) => {
      for (const h of helpers) await tx.unsafe(h.definition);
    });
    log(`experiment plpgsql-helpers: the ${helpers.length} original SQL helpers restored`);
  }
}
