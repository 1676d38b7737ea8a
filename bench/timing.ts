import type postgres from 'postgres';

/**
 * One round trip of `query` in `tx`, timed from the client (what the benchmark measures: the query
 * alone, not the transaction around it). Always the extended protocol, as PostgREST speaks it:
 * a named prepared statement when `prepare`, else an unnamed one. (postgres.js sends a statement
 * without parameters with the simple protocol unless told otherwise, which would never prepare it;
 * `simple` is an option of its run time that its 3.x types do not list.)
 */
export async function timeQuery(
  tx: postgres.TransactionSql,
  query: string,
  params: readonly unknown[],
  prepare: boolean,
): Promise<{ rows: unknown[]; ms: number }> {
  const started = performance.now();
  const options = { prepare, simple: false };
  const rows = await tx.unsafe(query, params as never[], options);
  return { rows: [...rows], ms: performance.now() - started };
}
