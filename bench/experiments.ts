import type postgres from 'postgres';
import type { Logger } from '../src/log';

/**
 * What-if experiments on a seeded bench database. Each one changes the database for the duration of
 * a bench run and restores it afterwards (also when the run fails). They measure a design decision,
 * never the schema as shipped.
 *
 * `no-tenant-guard`: the restrictive `<table>_tenant_isolation` policies are dropped. Every table
 * with an organisation keeps one, as defence in depth under the permissive policies (docs/policies.md);
 * each costs one `app.org_ids()` evaluation per table and statement, which this experiment prices.
 *
 * (Earlier experiments are now part of the schema: `plpgsql-helpers`, the RLS helpers as PL/pgSQL
 * instead of SQL functions, and `students-school-index`; docs/benchmarks.md has their numbers.)
 */
export const experiments = ['no-tenant-guard'] as const;
export type Experiment = (typeof experiments)[number];

/** Runs `fn` under every experiment of the list (applied in order, restored in reverse). */
export async function withExperiments<T>(sql: postgres.Sql, list: readonly Experiment[], log: Logger, fn: () => Promise<T>): Promise<T> {
  const [first, ...rest] = list;
  if (!first) return fn();
  return withExperiment(sql, first, log, () => withExperiments(sql, rest, log, fn));
}

export async function withExperiment<T>(sql: postgres.Sql, experiment: Experiment, log: Logger, fn: () => Promise<T>): Promise<T> {
  switch (experiment) {
    case 'no-tenant-guard':
      return withoutTenantGuards(sql, log, fn);
  }
}

interface SavedPolicy {
  readonly name: string;
  readonly drop: string;
  readonly create: string;
}

async function withoutTenantGuards<T>(sql: postgres.Sql, log: Logger, fn: () => Promise<T>): Promise<T> {
  const policies = await sql<SavedPolicy[]>`
    select p.policyname as name,
           pg_catalog.format('drop policy %I on %I.%I', p.policyname, p.schemaname, p.tablename) as drop,
           pg_catalog.format('create policy %I on %I.%I as restrictive for %s to %s using (%s)%s',
                             p.policyname, p.schemaname, p.tablename, p.cmd,
                             (select pg_catalog.string_agg(pg_catalog.quote_ident(r), ', ') from unnest(p.roles) as r),
                             p.qual,
                             case when p.with_check is null then '' else pg_catalog.format(' with check (%s)', p.with_check) end) as create
      from pg_catalog.pg_policies p
     where p.permissive = 'RESTRICTIVE' and p.policyname like '%\_tenant\_isolation'
     order by p.schemaname, p.tablename`;
  await sql.begin(async (tx) => {
    for (const p of policies) await tx.unsafe(p.drop);
  });
  log(`experiment no-tenant-guard: ${policies.length} restrictive tenant policies dropped`);
  try {
    return await fn();
  } finally {
    await sql.begin(async (tx) => {
      for (const p of policies) await tx.unsafe(p.create);
    });
    log(`experiment no-tenant-guard: the ${policies.length} tenant policies restored`);
  }
}
