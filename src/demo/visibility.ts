import type postgres from 'postgres';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { qualifiedName } from '../schema';
import { asAnon, asUser } from '../testing';

/** How many rows of a table a persona sees, or `null` when it has no SELECT privilege at all. */
export type VisibleCount = number | null;

export interface TableVisibility {
  readonly table: string;
  /** Visible rows per column key (persona or `anon`). */
  readonly counts: Readonly<Record<string, VisibleCount>>;
  /** Rows of the other organisation visible to any persona: must be 0. */
  readonly leaked: number;
}


async function countVisible(tx: postgres.TransactionSql, table: PgTable, foreignOrg: string | undefined): Promise<[VisibleCount, number]> {
  const name = qualifiedName(table);
  const hasOrg = getTableConfig(table).columns.some((c) => c.name === 'organization_id');
  try {
    // A savepoint per table: a permission error must not abort the persona's transaction.
    return await tx.savepoint(async (sp) => {
      const [row] = await sp.unsafe<{ n: number; leaked: number }[]>(
        `select count(*)::int as n, ${hasOrg && foreignOrg ? `count(*) filter (where organization_id = $1)::int` : '0'} as leaked from ${name}`,
        hasOrg && foreignOrg ? [foreignOrg] : [],
      );
      return [row?.n ?? 0, row?.leaked ?? 0] as [VisibleCount, number];
    });
  } catch (error) {
    if ((error as { code?: string }).code === '42501') return [null, 0];
    throw error;
  }
}

/**
 * Asks, for each persona, how many rows of each table RLS lets it see, and how many of those
 * belong to the other organisation.
 */
export async function visibilityMatrix(
  sql: postgres.Sql,
  tables: readonly PgTable[],
  personas: readonly { key: string; userId: string | null }[],
  foreignOrganizationId: string,
): Promise<TableVisibility[]> {
  const results = new Map<string, { counts: Record<string, VisibleCount>; leaked: number }>(
    tables.map((t) => [qualifiedName(t), { counts: {}, leaked: 0 }]),
  );
  for (const persona of personas) {
    const run = async (tx: postgres.TransactionSql) => {
      for (const table of tables) {
        const [n, leaked] = await countVisible(tx, table, foreignOrganizationId);
        const entry = results.get(qualifiedName(table))!;
        entry.counts[persona.key] = n;
        entry.leaked += leaked;
      }
    };
    if (persona.userId) await asUser(sql, { sub: persona.userId }, run);
    else await asAnon(sql, run);
  }
  return [...results].map(([table, r]) => ({ table, counts: r.counts, leaked: r.leaked }));
}

/** A plain-text table: one row per database table, one column per persona. */
export function renderVisibility(rows: readonly TableVisibility[], columns: readonly { key: string; label: string }[]): string {
  const header = ['table', ...columns.map((c) => c.label)];
  const body = rows.map((r) => [r.table.replace(/^public\./, ''), ...columns.map((c) => { const n = r.counts[c.key]; return n === null || n === undefined ? '–' : String(n); })]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
