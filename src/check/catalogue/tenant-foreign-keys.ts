import { at } from '../locate';
import type { Check, Finding } from '../model';
import { notExtensionMember, projectSchema, type CatalogueContext } from './context';

/** The column that says which tenant a row belongs to. */
export const TENANT_COLUMN = 'organization_id';

/** A foreign key as the check sees it: column names paired in order. */
export interface TenantForeignKey {
  readonly constraint: string;
  /** `schema.table` of the referencing table. */
  readonly table: string;
  readonly columns: readonly string[];
  /** `schema.table` of the referenced table. */
  readonly references: string;
  readonly referencedColumns: readonly string[];
}

/**
 * Whether a foreign key into a tenant table provably stays inside one organisation:
 *
 * - it pairs `organization_id` with the target's `organization_id` (a composite key), or
 * - it shares a column with the target that both tables pin to the same organisation-scoped key:
 *   `goal_observations (goal_id, student_id) → goals (id, student_id)` stays inside because both
 *   tables have `(organization_id, student_id) → students (organization_id, id)`.
 */
export function staysInTenant(key: TenantForeignKey, all: readonly TenantForeignKey[]): boolean {
  const pairs = key.columns.map((column, i) => [column, key.referencedColumns[i]!] as const);
  if (pairs.some(([from, to]) => from === TENANT_COLUMN && to === TENANT_COLUMN)) return true;
  /** The organisation-scoped keys `table.column` is pinned to: `schema.target.column`. */
  const pins = (table: string, column: string): Set<string> => {
    const found = new Set<string>();
    for (const fk of all) {
      if (fk.table !== table) continue;
      const tenant = fk.columns.findIndex((c, i) => c === TENANT_COLUMN && fk.referencedColumns[i] === TENANT_COLUMN);
      const at = fk.columns.indexOf(column);
      if (tenant >= 0 && at >= 0) found.add(`${fk.references}.${fk.referencedColumns[at]}`);
    }
    return found;
  };
  return pairs.some(([from, to]) => {
    const mine = pins(key.table, from);
    return [...pins(key.references, to)].some((pin) => mine.has(pin));
  });
}

interface KeyRow {
  readonly constraint: string;
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly ref_schema: string;
  readonly ref_table: string;
  readonly ref_columns: readonly string[];
  /** Whether the referenced table has a NOT NULL organization_id: a tenant table. */
  readonly into_tenant: boolean;
  /** Whether the referenced table has a unique (organization_id, id) key to point at. */
  readonly tenant_key: boolean;
}

/**
 * No foreign key into a tenant table (one with a NOT NULL `organization_id`) can point into another
 * organisation: each is composite with `organization_id`, or provably stays inside through a shared
 * column (`staysInTenant`). A single-column key `x_id → t (id)` accepts another tenant's row, and
 * with `on delete restrict` lets one tenant block another's deletes.
 */
export const tenantForeignKeysCheck: Check<CatalogueContext> = {
  id: 'tenant-foreign-keys',
  title: 'foreign keys into tenant tables are composite with organization_id',
  async run({ sql, platformSchemas, locate }) {
    const rows = await sql.unsafe<KeyRow[]>(
      `select con.conname as constraint, n.nspname as schema, c.relname as table,
              array(select a.attname::text from unnest(con.conkey) with ordinality k(attnum, ord)
                      join pg_catalog.pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord) as columns,
              rn.nspname as ref_schema, r.relname as ref_table,
              array(select a.attname::text from unnest(con.confkey) with ordinality k(attnum, ord)
                      join pg_catalog.pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.ord) as ref_columns,
              exists (select 1 from pg_catalog.pg_attribute a where a.attrelid = con.confrelid and a.attname = $2
                         and a.attnotnull and not a.attisdropped) as into_tenant,
              exists (select 1 from pg_catalog.pg_constraint u where u.conrelid = con.confrelid and u.contype in ('u', 'p')
                         and (select array_agg(a.attname::text order by a.attname) from unnest(u.conkey) k(attnum)
                                join pg_catalog.pg_attribute a on a.attrelid = u.conrelid and a.attnum = k.attnum) = array['id', $2::text]) as tenant_key
         from pg_catalog.pg_constraint con
         join pg_catalog.pg_class c on c.oid = con.conrelid
         join pg_catalog.pg_namespace n on n.oid = c.relnamespace
         join pg_catalog.pg_class r on r.oid = con.confrelid
         join pg_catalog.pg_namespace rn on rn.oid = r.relnamespace
        where con.contype = 'f' and ${projectSchema('n')} and ${notExtensionMember('pg_class', 'c.oid')}
        order by 2, 3, 1`,
      [[...platformSchemas], TENANT_COLUMN],
    );
    const keys: TenantForeignKey[] = rows.map((r) => ({
      constraint: r.constraint,
      table: `${r.schema}.${r.table}`,
      columns: r.columns,
      references: `${r.ref_schema}.${r.ref_table}`,
      referencedColumns: r.ref_columns,
    }));
    const findings: Finding[] = [];
    rows.forEach((row, i) => {
      const key = keys[i]!;
      if (!row.into_tenant || staysInTenant(key, keys)) return;
      const columns = key.columns.join(', ');
      const target = key.references;
      findings.push({
        message: `foreign key ${key.constraint} on ${key.table} (${columns}) → ${target} (${key.referencedColumns.join(', ')}) can point into another organisation: ${target} is a tenant table and the key does not include ${TENANT_COLUMN}`,
        object: `${key.table}.${key.constraint}`,
        ...at(locate(`constraint ${key.table}.${key.constraint}`) ?? locate(`table ${key.table}`)),
        fix: `make it composite: (${TENANT_COLUMN}, ${columns}) → ${target} (${TENANT_COLUMN}, ${key.referencedColumns.join(', ')})${
          row.tenant_key ? '' : `, with a unique (${TENANT_COLUMN}, id) key on ${target} to point at`
        }; for \`on delete set null\` name the column: \`set null (${key.columns.at(-1)})\``,
      });
    });
    const intoTenants = rows.filter((r) => r.into_tenant).length;
    return { findings, checked: `${intoTenants} of ${rows.length} foreign keys point into tenant tables` };
  },
};
