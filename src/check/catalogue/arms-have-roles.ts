import { at } from '../locate';
import type { Check, Finding } from '../model';
import { isPunct, isWord, tokenize, type Token } from '../../sql';
import { policyExpressions, projectSchema, type CatalogueContext, type PolicyRow } from './context';

/** The role of anonymous API clients: its policies are deliberately public and serve no role. */
const ANONYMOUS_ROLE = 'anon';

/** Drops the parentheses that wrap a whole token run: `((a) OR (b))` → `(a) OR (b)`. */
function unwrap(tokens: readonly Token[]): readonly Token[] {
  let run = tokens;
  while (run.length >= 2 && isPunct(run[0], '(') && isPunct(run.at(-1), ')')) {
    let depth = 0;
    let closesAtEnd = true;
    for (let i = 0; i < run.length - 1; i++) {
      if (isPunct(run[i], '(')) depth++;
      else if (isPunct(run[i], ')')) depth--;
      if (depth === 0) {
        closesAtEnd = false; // the first parenthesis closes before the end: `(a) OR (b)`
        break;
      }
    }
    if (!closesAtEnd) break;
    run = run.slice(1, -1);
  }
  return run;
}

/** Splits a token run at its top-level `OR`s, recursively: the arms of a policy expression. */
function arms(tokens: readonly Token[]): (readonly Token[])[] {
  const run = unwrap(tokens);
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of run) {
    if (isPunct(token, '(')) depth++;
    else if (isPunct(token, ')')) depth--;
    if (depth === 0 && isWord(token, 'or')) parts.push([]);
    else parts.at(-1)!.push(token);
  }
  if (parts.length === 1) return [run];
  return parts.flatMap((part) => arms(part));
}

/**
 * The arms (top-level OR branches) of a policy expression, as Postgres prints it, that call no
 * function of `helperSchemas` outside a negation: arms that decide on the row and `auth.uid()`
 * alone, so a user of any role, status or organisation matches them.
 */
export function armsWithoutRole(expression: string, helperSchemas: readonly string[]): string[] {
  const tokens = tokenize(expression).filter((t) => t.kind !== 'comment');
  const found: string[] = [];
  for (const arm of arms(tokens)) {
    // Groups opened right after NOT are negated: a helper there ("not in the soft-deleted set")
    // establishes nothing.
    const negated: boolean[] = [];
    let establishes = false;
    arm.forEach((token, i) => {
      if (isPunct(token, '(')) negated.push(isWord(arm[i - 1], 'not') || negated.some(Boolean));
      else if (isPunct(token, ')')) negated.pop();
      else if (
        token.kind === 'word' &&
        helperSchemas.includes(token.value) &&
        isPunct(arm[i + 1], '.') &&
        arm[i + 2]?.kind === 'word' &&
        isPunct(arm[i + 3], '(') &&
        !negated.some(Boolean) &&
        !isWord(arm[i - 1], 'not')
      ) {
        establishes = true;
      }
    });
    if (!establishes) {
      const text = expression.slice(arm[0]?.start ?? 0, arm.at(-1)?.end ?? 0);
      found.push(text);
    }
  }
  return found;
}

/**
 * Every arm of every permissive policy for signed-in API roles calls a membership helper — a
 * function of a project schema the API does not expose and that holds SECURITY DEFINER functions
 * (`app`) — so that the arm requires the role
 * it serves. An arm on `owner_id = auth.uid()` alone keeps serving a therapist who was suspended,
 * a user who was deactivated, an author who moved to another organisation. (The policy DSL refuses
 * such a rule at declaration; this is the same rule for whatever produced the database.)
 */
export const armsHaveRolesCheck: Check<CatalogueContext> = {
  id: 'arms-have-roles',
  title: 'every arm of a permissive policy requires a role (calls a membership helper)',
  async run({ sql, exposedSchemas, apiRoles, platformSchemas, locate }) {
    const signedIn = apiRoles.filter((role) => role !== ANONYMOUS_ROLE);
    const helperSchemas = (
      await sql.unsafe<{ name: string }[]>(
        `select n.nspname as name from pg_catalog.pg_namespace n
          where ${projectSchema('n')} and n.nspname <> all($2::text[])
            and exists (select 1 from pg_catalog.pg_proc p where p.pronamespace = n.oid and p.prosecdef)
          order by 1`,
        [[...platformSchemas], [...exposedSchemas]],
      )
    ).map((r) => r.name);
    const rows = await sql.unsafe<PolicyRow[]>(
      `select p.schemaname as schema, p.tablename as table, p.policyname as policy, p.qual, p.with_check
         from pg_catalog.pg_policies p
        where p.schemaname = any($1::text[]) and p.permissive = 'PERMISSIVE'
          and (p.roles && $2::name[] or 'public' = any (p.roles))
        order by 1, 2, 3`,
      [[...exposedSchemas], [...signedIn]],
    );
    const findings: Finding[] = [];
    for (const row of rows) {
      for (const { clause, expression } of policyExpressions(row)) {
        const table = `${row.schema}.${row.table}`;
        for (const arm of armsWithoutRole(expression, helperSchemas)) {
          findings.push({
            message: `policy "${row.policy}" on ${table}: an arm of its ${clause} expression calls no membership helper (${helperSchemas.map((s) => `${s}.*`).join(', ') || 'none exists'}), so a signed-in user of any role, status or organisation — suspended, deactivated, only invited — matches it: ${arm}`,
            object: `${table} policy ${row.policy}`,
            ...at(locate(`policy ${table}.${row.policy}`)),
            fix: `require the role the arm serves with a membership helper, e.g. \`organization_id = any ((select app.org_ids('{therapist}'::text[]))::uuid[])\` (the policy DSL refuses such a rule: arm_without_role)`,
          });
        }
      }
    }
    return { findings, checked: `${rows.length} permissive policies for ${signedIn.join(', ')} (helpers: ${helperSchemas.join(', ') || 'none'})` };
  },
};
