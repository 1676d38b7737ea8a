import type postgres from 'postgres';
import { NO_TRANSACTION_MARKER } from '../../migrate';
import { readAllowMarkers, type SafetyRule } from '../allow-marker';
import { blocksWrites, lockRank, tableLocks, type LockMode } from '../locks';
import type { ParsedMigration } from '../migrations';
import { formatName } from '../sql/names';
import { countRows, readHeldLocks, readRelations, readTuplesRead, type Relation } from './observe';

/** A lock a statement took on a table that existed before its migration (SHARE UPDATE EXCLUSIVE or stronger). */
export interface TracedLock {
  readonly table: string;
  readonly mode: LockMode;
  /** The table's rows when the migration started. */
  readonly rows: number;
  /** From the statement's start to the end of its transaction (the statement alone without one). */
  readonly heldMs: number;
  /** Read from `pg_locks`; false: as PostgreSQL documents the statement (a no-transaction file releases its locks before they can be read). */
  readonly observed: boolean;
}

export interface StatementTrace {
  /** 1-based line of the statement in its file. */
  readonly line: number;
  readonly text: string;
  readonly durationMs: number;
  readonly locks: readonly TracedLock[];
  /** Tables and indexes it rewrote (their file changed), with the rows of the table. */
  readonly rewrites: readonly { readonly relation: string; readonly table: string; readonly rows: number }[];
  /** Rows of an existing table it read while holding a lock that blocks writes on it (validation, index build, scan). */
  readonly scans: readonly { readonly table: string; readonly rowsRead: number; readonly mode: LockMode }[];
  /** Rules a valid allow marker before the statement allows (`-- therapy-db: allow scan-under-lock (reason: …)`). */
  readonly allowed: readonly SafetyRule[];
}

export interface MigrationTrace {
  readonly tag: string;
  readonly file: string;
  readonly noTransaction: boolean;
  readonly durationMs: number;
  readonly statements: readonly StatementTrace[];
}

/** A statement of a traced migration failed; the migration was rolled back (in a transaction). */
export class TraceError extends Error {
  override readonly name = 'TraceError';
  constructor(
    readonly tag: string,
    readonly file: string,
    readonly line: number,
    cause: unknown,
  ) {
    super(`${tag}.sql:${line}: ${(cause as Error).message}${(cause as { code?: string }).code ? ` (SQLSTATE ${(cause as { code?: string }).code})` : ''}`, { cause });
  }
}

const strongest = (modes: Iterable<LockMode>): LockMode => [...modes].reduce((a, b) => (lockRank(b) > lockRank(a) ? b : a));
const oneLine = (text: string) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
};

/**
 * Applies one migration to `sql`'s database statement by statement, as the runner would (in one
 * transaction, or statement by statement for a `no-transaction` file), and records per statement
 * the locks it took on tables that existed before (mode, how long held), the tables and indexes it
 * rewrote, and the rows it read under a lock that blocks writes. Does not record the migration in
 * the runner's ledger: the database is a scratch copy.
 */
export async function traceMigration(sql: postgres.Sql, migration: ParsedMigration): Promise<MigrationTrace> {
  const noTransaction = NO_TRANSACTION_MARKER.test(migration.sql);
  const connection = await sql.reserve();
  const started = performance.now();
  try {
    const before = await readRelations(connection);
    const tables = [...before.values()].filter((r) => r.kind !== 'i');
    const rows = await countRows(connection, tables);
    const existingTable = (oid: number): Relation | undefined => (before.get(oid)?.kind === 'i' ? undefined : before.get(oid));

    if (!noTransaction) await connection.unsafe('begin');
    /** Locks held so far in the transaction, and when each (relation, mode) was first taken. */
    let held = new Map<number, Set<LockMode>>();
    const acquired: { statement: number; oid: number; mode: LockMode; at: number }[] = [];
    const partial: Omit<StatementTrace, 'locks'>[] = [];
    const documented: TracedLock[][] = [];
    let relations = before;
    for (const [index, statement] of migration.statements.entries()) {
      const readBefore = noTransaction ? new Map<number, number>() : await readTuplesRead(connection);
      const t0 = performance.now();
      try {
        await connection.unsafe(statement.text);
      } catch (error) {
        if (!noTransaction) await connection.unsafe('rollback').catch(() => undefined);
        throw new TraceError(migration.tag, migration.file, statement.line, error);
      }
      const durationMs = performance.now() - t0;
      const after = await readRelations(connection);
      const rewrites = [...before.values()]
        .sort((a, b) => Number(a.kind === 'i') - Number(b.kind === 'i'))
        .filter((r) => relations.has(r.oid) && after.has(r.oid) && relations.get(r.oid)!.filenode !== after.get(r.oid)!.filenode)
        .map((r) => ({ relation: r.name, table: before.get(r.table)?.name ?? r.name, rows: rows.get(r.table) ?? 0 }));
      relations = after;

      const scans: { table: string; rowsRead: number; mode: LockMode }[] = [];
      const locksNow = noTransaction ? new Map<number, Set<LockMode>>() : await readHeldLocks(connection);
      if (!noTransaction) {
        for (const [oid, modes] of locksNow) {
          for (const mode of modes) if (!held.get(oid)?.has(mode)) acquired.push({ statement: index, oid, mode, at: t0 });
        }
        held = locksNow;
        const readAfter = await readTuplesRead(connection);
        for (const [oid, read] of readAfter) {
          const table = existingTable(oid);
          const delta = read - (readBefore.get(oid) ?? 0);
          const modes = locksNow.get(oid);
          if (table && delta > 0 && modes && blocksWrites(strongest(modes))) scans.push({ table: table.name, rowsRead: delta, mode: strongest(modes) });
        }
        documented.push([]);
      } else {
        // The statement committed and released its locks: what PostgreSQL documents it to take.
        const byName = new Map([...before.values()].map((r) => [r.name.replace(/"/g, ''), r]));
        documented.push(
          tableLocks(statement.what).flatMap((lock) => {
            const table = lock.table ? byName.get(formatName(lock.table)) : undefined;
            return table && table.kind !== 'i' ? [{ table: table.name, mode: lock.mode, rows: rows.get(table.oid) ?? 0, heldMs: durationMs, observed: false }] : [];
          }),
        );
      }
      const allowed = readAllowMarkers(statement.comments).flatMap((m) => (m.problem ? [] : m.rules));
      partial.push({ line: statement.line, text: oneLine(statement.text), durationMs, rewrites, scans, allowed });
    }
    if (!noTransaction) await connection.unsafe('commit');
    const end = performance.now();
    const statements = partial.map((p, index) => {
      // The strongest mode each table gained at this statement, held to the commit.
      const gained = new Map<number, { mode: LockMode; at: number }>();
      // Weaker locks (ACCESS SHARE, ROW SHARE, ROW EXCLUSIVE) are what queries take: never in the way.
      for (const a of acquired.filter((x) => x.statement === index && existingTable(x.oid) && lockRank(x.mode) >= lockRank('ShareUpdateExclusiveLock'))) {
        const current = gained.get(a.oid);
        if (!current || lockRank(a.mode) > lockRank(current.mode)) gained.set(a.oid, { mode: a.mode, at: a.at });
      }
      const observed = [...gained].map(([oid, g]) => ({ table: existingTable(oid)!.name, mode: g.mode, rows: rows.get(oid) ?? 0, heldMs: end - g.at, observed: true }));
      return { ...p, locks: [...observed, ...documented[index]!] };
    });
    return { tag: migration.tag, file: migration.file, noTransaction, durationMs: end - started, statements };
  } finally {
    connection.release();
  }
}
