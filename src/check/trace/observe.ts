import type postgres from 'postgres';
import type { LockMode } from '../locks';

/**
 * What the trace reads from the catalogue and the statistics of its own session, between two
 * statements of a migration: the relations and their files, the locks the session holds, the rows
 * its transaction read. All of it is visible to the session inside its transaction.
 */
type Connection = postgres.Sql | postgres.ReservedSql;

/** A table, materialized view or index of the database's own schemas. */
export interface Relation {
  readonly oid: number;
  /** `public.students`. */
  readonly name: string;
  /** `r`, `p`, `m` or `i`. */
  readonly kind: string;
  /** For an index: its table's OID; for a table: its own. */
  readonly table: number;
  /** The file holding its data: a new one means the relation was rewritten. */
  readonly filenode: string;
}

const OWN = `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'`;

export async function readRelations(sql: Connection): Promise<Map<number, Relation>> {
  const rows = await sql.unsafe<{ oid: number; name: string; kind: string; table: number; filenode: string }[]>(
    `select c.oid::int as oid, pg_catalog.format('%I.%I', n.nspname, c.relname) as name, c.relkind::text as kind,
            coalesce(i.indrelid, c.oid)::int as table, c.relfilenode::text as filenode
       from pg_catalog.pg_class c
       join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       left join pg_catalog.pg_index i on i.indexrelid = c.oid
      where c.relkind in ('r', 'p', 'm', 'i') and ${OWN}`,
  );
  return new Map(rows.map((r) => [r.oid, r]));
}

/** The table locks the session holds now (granted), by relation OID: every mode it holds. */
export async function readHeldLocks(sql: Connection): Promise<Map<number, Set<LockMode>>> {
  const rows = await sql.unsafe<{ oid: number; mode: LockMode }[]>(
    `select l.relation::int as oid, l.mode
       from pg_catalog.pg_locks l
       join pg_catalog.pg_class c on c.oid = l.relation
       join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where l.pid = pg_catalog.pg_backend_pid() and l.locktype = 'relation' and l.granted and ${OWN}`,
  );
  const held = new Map<number, Set<LockMode>>();
  for (const r of rows) held.set(r.oid, (held.get(r.oid) ?? new Set()).add(r.mode));
  return held;
}

/** Rows the current transaction has read from each table (sequential and index fetches). */
export async function readTuplesRead(sql: Connection): Promise<Map<number, number>> {
  const rows = await sql.unsafe<{ oid: number; read: string }[]>(
    `select relid::int as oid, (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::text as read from pg_catalog.pg_stat_xact_user_tables`,
  );
  return new Map(rows.map((r) => [r.oid, Number(r.read)]));
}

/** Exact row counts of the given tables (outside the traced transaction). */
export async function countRows(sql: Connection, tables: readonly Relation[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  for (const table of tables) {
    const [row] = await sql.unsafe<{ n: string }[]>(`select count(*)::text as n from ${table.name}`);
    counts.set(table.oid, Number(row?.n ?? 0));
  }
  return counts;
}
