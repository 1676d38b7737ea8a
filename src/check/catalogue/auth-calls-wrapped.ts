import { at } from '../locate';
import type { Check, Finding } from '../model';
import { isPunct, isWord, tokenize, type Token } from '../../sql';
import { policyExpressions, type CatalogueContext, type PolicyRow } from './context';

/** The Supabase auth helpers a policy should call once per statement, not once per row. */
export const AUTH_FUNCTIONS: readonly string[] = ['uid', 'jwt', 'role', 'email'];

interface Group {
  readonly select: boolean;
  from: boolean;
}

/**
 * The `auth.<fn>()` calls in a policy expression (as Postgres prints it) that are not wrapped in a
 * scalar sub-select. `( SELECT auth.uid() AS uid)` is wrapped: Postgres evaluates it once, as an
 * init plan. A call anywhere else — including in the WHERE of a sub-select with a FROM — runs per row.
 */
export function unwrappedAuthCalls(expression: string): string[] {
  const tokens = tokenize(expression).filter((t) => t.kind !== 'comment');
  const stack: Group[] = [];
  const calls: { name: string; enclosing: Group[] }[] = [];
  tokens.forEach((token: Token, i) => {
    if (isPunct(token, '(')) {
      stack.push({ select: isWord(tokens[i + 1], 'select'), from: false });
    } else if (isPunct(token, ')')) {
      stack.pop();
    } else if (isWord(token, 'from') && stack.length > 0) {
      stack.at(-1)!.from = true;
    } else if (
      isWord(token, 'auth') &&
      isPunct(tokens[i + 1], '.') &&
      tokens[i + 2]?.kind === 'word' &&
      AUTH_FUNCTIONS.includes(tokens[i + 2]!.value) &&
      isPunct(tokens[i + 3], '(') &&
      isPunct(tokens[i + 4], ')')
    ) {
      calls.push({ name: `auth.${tokens[i + 2]!.value}()`, enclosing: [...stack] });
    }
  });
  // Groups are complete (their FROM seen) only after the pass.
  return calls.filter((c) => !c.enclosing.some((g) => g.select && !g.from)).map((c) => c.name);
}

/** No policy calls `auth.uid()`, `auth.jwt()` (or `auth.role()`, `auth.email()`) unwrapped. */
export const authCallsWrappedCheck: Check<CatalogueContext> = {
  id: 'auth-calls-wrapped',
  title: 'policies call auth.uid() and auth.jwt() as (select auth.…())',
  async run({ sql, locate }) {
    const rows = await sql.unsafe<PolicyRow[]>(
      `select schemaname as schema, tablename as table, policyname as policy, qual, with_check
         from pg_catalog.pg_policies order by 1, 2, 3`,
    );
    const findings: Finding[] = [];
    for (const row of rows) {
      for (const { clause, expression } of policyExpressions(row)) {
        const calls = [...new Set(unwrappedAuthCalls(expression))];
        if (calls.length === 0) continue;
        const table = `${row.schema}.${row.table}`;
        findings.push({
          message: `policy "${row.policy}" on ${table} calls ${calls.join(', ')} unwrapped in its ${clause} expression: Postgres evaluates it for every row`,
          object: `${table} policy ${row.policy}`,
          ...at(locate(`policy ${table}.${row.policy}`)),
          fix: `wrap it: ${calls.map((c) => `(select ${c})`).join(', ')} is evaluated once per statement`,
        });
      }
    }
    return { findings, checked: `${rows.length} policies` };
  },
};
