import type postgres from 'postgres';

/**
 * One round trip of `query` in `tx`, timed from the client (what the benchmark measures: the query
 * alone, not the transaction around it). Named prepared statements when `prepare`.
 */
export async function timeQuery(
  tx: postgres.TransactionSql,
  query: string,
  params: readonly unknown[],
  prepare: boolean,
): Promise<{ rows: unknown[]; ms: number }> {
  const started = performance.now();
  const rows = await tx.unsafe(query, params as never[], { prepare });
  return { rows: [...rows], ms: performance.now() - started };
}
