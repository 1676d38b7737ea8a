import { ddlObject, type DdlObject, type DdlPhase } from './object';
import { quoteIdent, quoteLiteral } from './names';

export interface FunctionArgument {
  readonly name: string;
  readonly type: string;
  /** SQL default expression, e.g. `null`. */
  readonly default?: string;
}

export interface FunctionDefinition {
  readonly schema: string;
  readonly name: string;
  readonly args?: readonly FunctionArgument[];
  /** Return type, e.g. `uuid[]`, `trigger`, `setof public.therapy_sessions`, `table (kind text, id uuid)`. */
  readonly returns: string;
  readonly language: 'sql' | 'plpgsql';
  readonly volatility?: 'immutable' | 'stable' | 'volatile';
  /** Defaults to `invoker`. A `definer` function must pin `searchPath` to `''` (enforced). */
  readonly security?: 'invoker' | 'definer';
  /** `''` pins an empty search path, so every name in the body must be schema-qualified. */
  readonly searchPath?: string;
  /** Other settings the function runs with (`set name = 'value'`), e.g. `plan_cache_mode`. */
  readonly settings?: Readonly<Record<string, string>>;
  readonly body: string;
  /** Roles granted EXECUTE; it is revoked from everyone else (`public`, `anon`, `authenticated`, `service_role`). */
  readonly executableBy?: readonly string[];
  readonly comment?: string;
  /** Defaults to `post`; RLS helpers that policies call are `pre`. */
  readonly phase?: DdlPhase;
}

export interface DbFunction extends DdlObject {
  readonly kind: 'function';
  /** `schema.name(argtypes)`, the signature GRANT and DROP need. */
  readonly signature: string;
  /** `schema.name`, for calls. */
  readonly qualifiedName: string;
  readonly definition: FunctionDefinition;
}

/** Declares a function. Security-definer functions without `search_path = ''` are refused. */
export function defineFunction(definition: FunctionDefinition): DbFunction {
  const qualifiedName = `${quoteIdent(definition.schema)}.${quoteIdent(definition.name)}`;
  const args = definition.args ?? [];
  const signature = `${qualifiedName}(${args.map((a) => a.type).join(', ')})`;
  const security = definition.security ?? 'invoker';
  if (security === 'definer' && definition.searchPath !== '') {
    throw new Error(`function ${signature} is security definer and must set search_path = '' (qualify every name in its body)`);
  }
  const argList = args.map((a) => `${quoteIdent(a.name)} ${a.type}${a.default !== undefined ? ` default ${a.default}` : ''}`).join(', ');
  const header = [
    `create or replace function ${qualifiedName}(${argList})`,
    `returns ${definition.returns}`,
    `language ${definition.language}`,
    ...(definition.volatility && definition.volatility !== 'volatile' ? [definition.volatility] : []),
    `security ${security}`,
    ...(definition.searchPath !== undefined ? [`set search_path = '${definition.searchPath}'`] : []),
    ...Object.entries(definition.settings ?? {}).map(([name, value]) => `set ${name} = ${quoteLiteral(value)}`),
  ].join('\n');
  const create = [
    `${header}\nas $function$\n${definition.body.trim()}\n$function$`,
    // Supabase's default privileges grant EXECUTE on new functions to anon, authenticated and
    // service_role directly, so revoking from public alone would leave them callable.
    `revoke all on function ${signature} from public, anon, authenticated, service_role`,
    ...(definition.executableBy?.length ? [`grant execute on function ${signature} to ${definition.executableBy.map(quoteIdent).join(', ')}`] : []),
    ...(definition.comment ? [`comment on function ${signature} is $comment$${definition.comment}$comment$`] : []),
  ];
  return Object.freeze({
    ...ddlObject({
      kind: 'function',
      key: `function ${signature}`,
      phase: definition.phase ?? 'post',
      create,
      drop: [`drop function if exists ${signature}`],
      onChange: 'replace',
    }),
    kind: 'function' as const,
    signature,
    qualifiedName,
    definition,
  });
}

export type TriggerFunctionDefinition = Pick<FunctionDefinition, 'name' | 'body' | 'comment' | 'security' | 'phase'> & {
  /** Defaults to `app`, the private schema. */
  readonly schema?: string;
};

/**
 * A PL/pgSQL trigger function in the private `app` schema with an empty search path (trigger
 * functions cannot be called directly, so nobody is granted EXECUTE).
 */
export function defineTriggerFunction(definition: TriggerFunctionDefinition): DbFunction {
  return defineFunction({ ...definition, schema: definition.schema ?? 'app', returns: 'trigger', language: 'plpgsql', searchPath: '' });
}
