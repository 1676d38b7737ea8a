import type { Token } from '../../sql';
import { isPunct } from '../../sql';

/** A schema-qualified name as Postgres resolves it: unquoted parts folded to lower case. */
export interface QualifiedName {
  readonly schema: string;
  readonly name: string;
}

/** The schema an unqualified name resolves to in a migration (Supabase's and Postgres' default). */
export const DEFAULT_SCHEMA = 'public';

export function isIdentifier(token: Token | undefined): token is Token {
  return token !== undefined && (token.kind === 'word' || token.kind === 'quoted');
}

/** Reads `name` or `schema.name` at `index`; undefined when there is no identifier there. */
export function readQualifiedName(tokens: readonly Token[], index: number): { name: QualifiedName; next: number } | undefined {
  const first = tokens[index];
  if (!isIdentifier(first)) return undefined;
  const second = tokens[index + 2];
  if (isPunct(tokens[index + 1], '.') && isIdentifier(second)) {
    return { name: { schema: first.value, name: second.value }, next: index + 3 };
  }
  return { name: { schema: DEFAULT_SCHEMA, name: first.value }, next: index + 1 };
}

/** `schema.name`, quoting nothing: for messages and lookup keys. */
export function formatName(name: QualifiedName): string {
  return `${name.schema}.${name.name}`;
}

export function sameName(a: QualifiedName, b: QualifiedName): boolean {
  return a.schema === b.schema && a.name === b.name;
}
