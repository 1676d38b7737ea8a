import postgres from 'postgres';

/**
 * EXPLAIN capture and the plan checks: Seq Scans on large tables, in the hot path's own plan and in
 * the bodies of the RLS helper functions it executed. Helpers are SECURITY DEFINER PL/pgSQL
 * functions, so EXPLAIN shows only their call; their bodies are explained separately, as the
 * persona (same JWT claims) and as their owner, exactly as they run.
 */

export interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly Schema?: string;
  readonly Alias?: string;
  readonly 'Actual Loops'?: number;
  readonly 'Actual Rows'?: number;
  readonly 'Parent Relationship'?: string;
  readonly 'Subplan Name'?: string;
  readonly Output?: readonly string[];
  readonly Filter?: string;
  readonly Plans?: readonly PlanNode[];
  readonly [key: string]: unknown;
}

export interface ExplainJson {
  readonly Plan: PlanNode;
  readonly 'Execution Time': number;
  readonly 'Planning Time': number;
}

export interface SeqScanFinding {
  /** `schema.table`. */
  readonly table: string;
  /** The table's size (pg_class.reltuples). */
  readonly tableRows: number;
  /** How often the scan ran (0: in the plan but never executed for this persona). */
  readonly loops: number;
  /** `query`, or `app.helper()` when found in a helper's body. */
  readonly source: string;
}

export function walk(node: PlanNode, visit: (node: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

export async function explainText(tx: postgres.TransactionSql, query: string, params: readonly unknown[]): Promise<string> {
  const rows = await tx.unsafe<{ 'QUERY PLAN': string }[]>(`explain (analyze, buffers) ${query}`, params as never[], { prepare: false });
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

export async function explainJson(tx: postgres.TransactionSql, query: string, params: readonly unknown[]): Promise<ExplainJson> {
  const rows = await tx.unsafe<{ 'QUERY PLAN': unknown }[]>(
    `explain (analyze, buffers, verbose, format json) ${query}`,
    params as never[],
    { prepare: false },
  );
  const value = rows[0]?.['QUERY PLAN'];
  const parsed = (typeof value === 'string' ? JSON.parse(value) : value) as ExplainJson[];
  return parsed[0]!;
}

/**
 * The plan Postgres' plan cache may settle on for a prepared statement: the generic plan (no
 * parameter values at plan time), forced with `plan_cache_mode`, executed with the given values.
 */
export async function explainGeneric(tx: postgres.TransactionSql, query: string, params: readonly unknown[]): Promise<{ text: string; json: ExplainJson }> {
  await tx.unsafe('set local plan_cache_mode = force_generic_plan');
  await tx.unsafe(`prepare bench_generic as ${query}`);
  const [prepared] = await tx<{ types: string[] }[]>`
    select parameter_types::text[] as types from pg_catalog.pg_prepared_statements where name = 'bench_generic'`;
  const types = prepared?.types ?? [];
  // EXECUTE's arguments are analysed at execution without the outer statement's parameter types,
  // so the values go in as typed literals.
  const literal = (value: unknown, i: number) =>
    value === null || value === undefined ? `null::${types[i] ?? 'text'}` : `'${String(value).replace(/'/g, "''")}'::${types[i] ?? 'text'}`;
  const call = params.length > 0 ? `execute bench_generic(${params.map(literal).join(', ')})` : 'execute bench_generic';
  try {
    const text = await explainText(tx, call, []);
    const json = await explainJson(tx, call, []);
    return { text, json };
  } finally {
    await tx.unsafe('deallocate bench_generic');
  }
}

/** Every Seq Scan of the plan on a table larger than `threshold` rows. */
export function seqScans(root: PlanNode, tableRows: ReadonlyMap<string, number>, threshold: number, source: string): SeqScanFinding[] {
  const found: SeqScanFinding[] = [];
  walk(root, (node) => {
    if (node['Node Type'] !== 'Seq Scan' || !node['Relation Name']) return;
    const table = `${node.Schema ?? 'public'}.${node['Relation Name']}`;
    const rows = tableRows.get(table) ?? 0;
    if (rows > threshold) found.push({ table, tableRows: rows, loops: node['Actual Loops'] ?? 0, source });
  });
  return found;
}

const HELPER_CALL = /\bapp\.([a-z_][a-z0-9_]*)\s*\(/g;
/** A whole helper call as EXPLAIN VERBOSE prints it: `app.org_ids('{org_admin}'::text[])`. */
const HELPER_EXPRESSION = /\bapp\.[a-z_][a-z0-9_]*\([^()]*\)/g;

/** A helper call an executed initPlan evaluated, and how many initPlans of the statement evaluated it. */
export interface HelperEvaluation {
  /** As EXPLAIN VERBOSE prints it, e.g. `app.org_ids(NULL::text[])`; runnable as is. */
  readonly call: string;
  readonly count: number;
}

/**
 * The helper evaluations of one execution: every policy's `(select app.x())` is its own initPlan,
 * run once per statement when a row first reaches it, so a helper shared by the policies of four
 * tables runs four times. Sorted by count, then call.
 */
export function helperEvaluations(root: PlanNode): HelperEvaluation[] {
  const counts = new Map<string, number>();
  walk(root, (node) => {
    if (node['Parent Relationship'] !== 'InitPlan' || (node['Actual Loops'] ?? 0) === 0) return;
    for (const output of node.Output ?? []) {
      for (const m of output.matchAll(HELPER_EXPRESSION)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
    }
  });
  return [...counts.entries()]
    .map(([call, count]) => ({ call, count }))
    .sort((a, b) => b.count - a.count || a.call.localeCompare(b.call));
}

/** The `app.*` functions the executed part of the plan called (InitPlans, filters, outputs). */
export function executedHelpers(root: PlanNode): string[] {
  const names = new Set<string>();
  walk(root, (node) => {
    if ((node['Actual Loops'] ?? 0) === 0) return;
    const own = JSON.stringify({ Output: node.Output, Filter: node.Filter, 'Index Cond': node['Index Cond'], 'One-Time Filter': node['One-Time Filter'] });
    for (const m of own.matchAll(HELPER_CALL)) names.add(m[1]!);
  });
  return [...names].sort();
}

export interface HelperPlan {
  readonly name: string;
  readonly text: string;
  /** The plans of the statements the body ran: one for a single-query helper. */
  readonly json: readonly ExplainJson[];
  readonly calls: readonly string[];
}

interface HelperSource {
  readonly body: string;
  readonly language: string;
  readonly args: readonly { name: string; type: string }[];
}

async function helperSource(sql: postgres.Sql | postgres.TransactionSql, name: string): Promise<HelperSource | null> {
  const rows = await sql<{ body: string; language: string; arg_names: string[] | null; arg_types: string[] }[]>`
    select p.prosrc as body, l.lanname as language, p.proargnames as arg_names,
           array(select pg_catalog.format_type(t, null) from unnest(p.proargtypes) as t) as arg_types
      from pg_catalog.pg_proc p
      join pg_catalog.pg_namespace n on n.oid = p.pronamespace
      join pg_catalog.pg_language l on l.oid = p.prolang
     where n.nspname = 'app' and p.proname = ${name}
     order by p.oid limit 1`;
  const row = rows[0];
  if (!row) return null;
  return {
    body: row.body,
    language: row.language,
    args: row.arg_types.map((type, i) => ({ name: row.arg_names?.[i] ?? `$${i + 1}`, type })),
  };
}

/** The one query of a PL/pgSQL helper written `begin return (<query>); end`. */
const RETURN_QUERY = /^\s*begin\s+return\s+\(([\s\S]*)\);\s*end;?\s*$/i;

/**
 * Runs `call` (an argument-less helper) with auto_explain logging the plans of the statements it
 * runs inside, and returns them: how a procedural helper's body is explained. `null` where the
 * server cannot (auto_explain is loaded with `LOAD`, which needs a superuser).
 */
export type ExplainNested = (call: string) => Promise<{ text: string; json: ExplainJson[] } | null>;

/**
 * `ExplainNested` on its own connection to `url` (auto_explain reports through LOG messages, which
 * are sent to that client only), as the session user with `claims`.
 */
export function explainNestedOn(url: string, claims: string): ExplainNested {
  return async (call) => {
    let messages: string[] = [];
    const sql = postgres(url, { max: 1, onnotice: (notice) => messages.push(String(notice.message ?? '')) });
    // One transaction per format (LOAD lasts for the session): the text for the plan file, the JSON for the checks.
    const run = async (format: 'text' | 'json'): Promise<string[]> => {
      messages = [];
      await sql.begin(async (tx) => {
        await tx.unsafe("load 'auto_explain'");
        for (const setting of ['log_min_duration = 0', 'log_analyze = on', 'log_buffers = on', 'log_nested_statements = on', `log_format = ${format}`]) {
          await tx.unsafe(`set local auto_explain.${setting}`);
        }
        await tx`select set_config('request.jwt.claims', ${claims}, true)`;
        await tx.unsafe('set local client_min_messages = log');
        await tx.unsafe(`select ${call}`);
      });
      // Each message is `duration: … ms  plan:\n<plan>`; the outer `select <call>` is the last one.
      return messages.filter((m) => m.includes('plan:')).map((m) => m.slice(m.indexOf('plan:') + 5).trim()).slice(0, -1);
    };
    try {
      const text = await run('text');
      const json = await run('json');
      return { text: text.join('\n\n'), json: json.map((j) => JSON.parse(j) as ExplainJson) };
    } catch {
      return null;
    } finally {
      await sql.end();
    }
  };
}

/**
 * EXPLAIN ANALYZE of the helpers' bodies, in the transaction `tx` (which must carry the persona's
 * JWT claims and the session user's role, i.e. the helpers' owner), following nested helper calls.
 * Arguments are bound to NULL (e.g. `p_roles`: every role), which keeps the plan's shape. A
 * procedural helper (not `return (<query>)`) is explained through `nested` when given.
 */
export async function explainHelpers(tx: postgres.TransactionSql, names: readonly string[], nested?: ExplainNested): Promise<HelperPlan[]> {
  const done = new Map<string, HelperPlan>();
  const queue = [...names];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (done.has(name)) continue;
    const source = await helperSource(tx, name);
    if (!source) continue;
    if (source.language !== 'sql' && source.language !== 'plpgsql') continue;
    const single = source.language === 'plpgsql' ? RETURN_QUERY.exec(source.body) : null;
    const calls = [...new Set([...source.body.matchAll(HELPER_CALL)].map((m) => m[1]!))].filter((n) => n !== name).sort();
    let plan: { text: string; json: readonly ExplainJson[] };
    if (source.language === 'plpgsql' && !single) {
      plan = (source.args.length === 0 && nested ? await nested(`app.${name}()`) : null) ?? {
        text: '(a procedural PL/pgSQL body: the plans of its statements are captured on a PostgreSQL server with auto_explain, as a superuser)',
        json: [],
      };
    } else {
      let body = (single ? single[1]! : source.body).trim().replace(/;\s*$/, '');
      for (const arg of source.args) {
        body = body.replace(new RegExp(`\\b${arg.name.replace(/\$/g, '\\$')}\\b`, 'g'), `null::${arg.type}`);
      }
      plan = { text: await explainText(tx, body, []), json: [await explainJson(tx, body, [])] };
    }
    done.set(name, { name, ...plan, calls });
    queue.push(...calls);
  }
  return [...done.values()];
}

/** Row estimates of every table (pg_class.reltuples after the seed's analyze), `schema.table`. */
export async function tableSizes(sql: postgres.Sql): Promise<Map<string, number>> {
  const rows = await sql<{ name: string; rows: number }[]>`
    select n.nspname || '.' || c.relname as name, greatest(c.reltuples, 0)::float8 as rows
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and n.nspname in ('public', 'audit', 'auth', 'storage', 'realtime')`;
  return new Map(rows.map((r) => [r.name, Number(r.rows)]));
}

/**
 * A plan's shape in one line: each node's type with its index and relation, children in brackets;
 * InitPlans (the policies' helper calls) are counted, not drawn. What the report shows of a generic
 * plan, to see at a glance whether it is the custom plan's shape.
 */
export function planShape(node: PlanNode): string {
  const index = typeof node['Index Name'] === 'string' ? ` using ${node['Index Name']}` : '';
  const relation = node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
  const children = (node.Plans ?? []).filter((c) => c['Parent Relationship'] !== 'InitPlan' && c['Parent Relationship'] !== 'SubPlan');
  const initPlans = (node.Plans ?? []).length - children.length;
  const label = `${node['Node Type']}${index}${relation}${initPlans > 0 ? ` {${initPlans} InitPlan${initPlans === 1 ? '' : 's'}}` : ''}`;
  return children.length === 0 ? label : `${label} [${children.map(planShape).join('; ')}]`;
}

/** How often the plan cache ran each named prepared statement with a generic or a custom plan (this session). */
export async function preparedPlanUse(sql: postgres.Sql, statements: readonly string[]): Promise<Map<string, { generic: number; custom: number }>> {
  const rows = await sql<{ statement: string; generic: number; custom: number }[]>`
    select statement, generic_plans::int as generic, custom_plans::int as custom from pg_catalog.pg_prepared_statements`;
  const use = new Map<string, { generic: number; custom: number }>();
  for (const row of rows.filter((r) => statements.includes(r.statement))) {
    const seen = use.get(row.statement) ?? { generic: 0, custom: 0 };
    use.set(row.statement, { generic: seen.generic + row.generic, custom: seen.custom + row.custom });
  }
  return use;
}
