/**
 * Indents a query to sit at `depth` spaces inside another: trimmed, every line after the first
 * shifted. The RLS helpers' bodies and the benchmark's explicit twins nest queries this way.
 */
export const indentSql = (query: string, depth: number): string => query.trim().replace(/\n/g, `\n${' '.repeat(depth)}`);
