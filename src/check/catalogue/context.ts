import type postgres from 'postgres';
import type { Locator } from '../locate';

/** What the catalogue checks run against: a migrated database and which of its schemas matter how. */
export interface CatalogueContext {
  readonly sql: postgres.Sql;
  /** Schemas the API exposes: every table there needs RLS, grants need policies, views need invoker rights. */
  readonly exposedSchemas: readonly string[];
  /** The roles API clients act as. */
  readonly apiRoles: readonly string[];
  /** Schemas the platform owns (Supabase's, the shim's): the structural checks skip them. */
  readonly platformSchemas: readonly string[];
  /** Where the migrations create an object, for file:line in findings. */
  readonly locate: Locator;
}

/** `public`, plus `audit` for this project. */
export const DEFAULT_EXPOSED_SCHEMAS: readonly string[] = ['public', 'audit'];

export const DEFAULT_API_ROLES: readonly string[] = ['anon', 'authenticated'];

/** Supabase's own schemas (and what the shim creates of them), never the project's to fix. */
export const DEFAULT_PLATFORM_SCHEMAS: readonly string[] = [
  'auth',
  'storage',
  'realtime',
  '_realtime',
  'extensions',
  'graphql',
  'graphql_public',
  'vault',
  'pgsodium',
  'pgsodium_masks',
  'supabase_functions',
  'supabase_migrations',
  '_analytics',
  'net',
  'cron',
  'pgbouncer',
  'pgtle',
];

/**
 * SQL condition: the namespace `alias` belongs to the project (not a system or platform schema).
 * `$1` must be the platform schemas.
 */
export function projectSchema(alias: string): string {
  return `(${alias}.nspname <> all($1::text[]) and ${alias}.nspname not in ('pg_catalog', 'information_schema') and ${alias}.nspname not like 'pg\\_%')`;
}

/** SQL condition: the object `oid` of catalog `catalog` is not an extension's member. */
export function notExtensionMember(catalog: string, oid: string): string {
  return `not exists (select 1 from pg_catalog.pg_depend d where d.classid = '${catalog}'::regclass and d.objid = ${oid} and d.deptype = 'e')`;
}

/** A policy as `pg_policies` prints it (`schema`, `table`, `policy`, `qual`, `with_check` columns). */
export interface PolicyRow {
  readonly schema: string;
  readonly table: string;
  readonly policy: string;
  readonly qual: string | null;
  readonly with_check: string | null;
}

/** A policy's expressions, each with its clause: USING and WITH CHECK, those it has. */
export function policyExpressions(row: PolicyRow): { readonly clause: 'USING' | 'WITH CHECK'; readonly expression: string }[] {
  return [
    { clause: 'USING' as const, expression: row.qual },
    { clause: 'WITH CHECK' as const, expression: row.with_check },
  ].flatMap((e) => (e.expression ? [{ clause: e.clause, expression: e.expression }] : []));
}
