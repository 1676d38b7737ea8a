import { isPunct, isWord, type Token } from './lexer';
import { isIdentifier, readQualifiedName, type QualifiedName } from './names';

export type PolicyCommand = 'all' | 'select' | 'insert' | 'update' | 'delete';

/** One action of an `ALTER TABLE`, with the line it starts on. */
export type AlterTableAction = { readonly line: number } & (
  | { readonly kind: 'add-column'; readonly column: string; readonly notNull: boolean; readonly hasDefault: boolean }
  | { readonly kind: 'drop-column'; readonly column: string }
  | { readonly kind: 'alter-column-type'; readonly column: string }
  | { readonly kind: 'set-not-null'; readonly column: string }
  | {
      readonly kind: 'add-constraint';
      readonly constraint: string | undefined;
      readonly type: 'foreign-key' | 'check' | 'unique' | 'primary-key' | 'exclude' | 'other';
      readonly notValid: boolean;
      /** `… unique using index i`: the constraint adopts a prebuilt index. */
      readonly usingIndex: boolean;
    }
  | { readonly kind: 'rename-column'; readonly column: string; readonly to: string }
  | { readonly kind: 'rename-table'; readonly to: string }
  | { readonly kind: 'other' }
);

/** What a migration statement does, as far as the checks need to know. */
export type MigrationStatementKind =
  | { readonly kind: 'create-table'; readonly table: QualifiedName; readonly constraints: readonly string[] }
  | { readonly kind: 'drop-table'; readonly tables: readonly QualifiedName[] }
  | { readonly kind: 'create-index'; readonly index: QualifiedName | undefined; readonly table: QualifiedName; readonly concurrently: boolean }
  | { readonly kind: 'alter-table'; readonly table: QualifiedName; readonly actions: readonly AlterTableAction[] }
  | {
      readonly kind: 'create-policy';
      readonly policy: string;
      readonly table: QualifiedName;
      readonly command: PolicyCommand;
      readonly roles: readonly string[];
    }
  | { readonly kind: 'drop-policy'; readonly policy: string; readonly table: QualifiedName }
  | { readonly kind: 'create-function'; readonly function: QualifiedName }
  | { readonly kind: 'create-view'; readonly view: QualifiedName; readonly materialized: boolean }
  | { readonly kind: 'create-extension'; readonly extension: string }
  | { readonly kind: 'grant'; readonly tables: readonly QualifiedName[] }
  | { readonly kind: 'other' };

/** Skips the given optional keyword sequences in order, returning the new position. */
function skipWords(tokens: readonly Token[], at: number, ...sequences: readonly (readonly string[])[]): number {
  let i = at;
  for (const sequence of sequences) {
    if (sequence.every((word, k) => isWord(tokens[i + k], word))) i += sequence.length;
  }
  return i;
}

/** Splits tokens at top-level commas (outside parentheses and brackets). */
export function splitTopLevel(tokens: readonly Token[], separator = ','): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (isPunct(token, '(') || isPunct(token, '[')) depth++;
    else if (isPunct(token, ')') || isPunct(token, ']')) depth--;
    else if (depth === 0 && isPunct(token, separator)) {
      parts.push([]);
      continue;
    }
    parts.at(-1)!.push(token);
  }
  return parts.filter((p) => p.length > 0);
}

/** Tokens at parenthesis depth 0 only (what is inside parentheses is dropped). */
function topLevel(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  let depth = 0;
  for (const token of tokens) {
    if (isPunct(token, '(')) depth++;
    else if (isPunct(token, ')')) depth--;
    else if (depth === 0) out.push(token);
  }
  return out;
}

function hasSequence(tokens: readonly Token[], ...words: readonly string[]): boolean {
  return tokens.some((_, i) => words.every((word, k) => isWord(tokens[i + k], word)));
}

const CONSTRAINT_WORDS = new Map<string, 'foreign-key' | 'check' | 'unique' | 'primary-key' | 'exclude'>([
  ['foreign', 'foreign-key'],
  ['check', 'check'],
  ['unique', 'unique'],
  ['primary', 'primary-key'],
  ['exclude', 'exclude'],
]);

const isConstraintWord = (token: Token | undefined): token is Token => token?.kind === 'word' && CONSTRAINT_WORDS.has(token.value);

function classifyAlterAction(tokens: readonly Token[]): AlterTableAction {
  const line = tokens[0]!.line;
  const top = topLevel(tokens);
  if (isWord(tokens[0], 'add')) {
    const second = tokens[1];
    if (isWord(second, 'constraint') || isConstraintWord(second)) {
      const named = isWord(second, 'constraint');
      const constraint = named && isIdentifier(tokens[2]) ? tokens[2].value : undefined;
      const typeWord = tokens.slice(named ? 3 : 1).find(isConstraintWord);
      return {
        line,
        kind: 'add-constraint',
        constraint,
        type: (typeWord && CONSTRAINT_WORDS.get(typeWord.value)) ?? 'other',
        notValid: hasSequence(top, 'not', 'valid'),
        usingIndex: top.some((t, k) => isWord(t, 'using') && isWord(top[k + 1], 'index') && !isWord(top[k + 2], 'tablespace')),
      };
    }
    const at = skipWords(tokens, 1, ['column'], ['if', 'not', 'exists']);
    const column = tokens[at];
    if (!isIdentifier(column)) return { line, kind: 'other' };
    const rest = topLevel(tokens.slice(at + 1));
    return {
      line,
      kind: 'add-column',
      column: column.value,
      notNull: hasSequence(rest, 'not', 'null') || hasSequence(rest, 'primary', 'key'),
      // `on delete set default` is not a default value.
      hasDefault: rest.some((t, k) => isWord(t, 'default') && !isWord(rest[k - 1], 'set')) || hasSequence(rest, 'generated'),
    };
  }
  if (isWord(tokens[0], 'drop')) {
    if (isWord(tokens[1], 'constraint')) return { line, kind: 'other' };
    const at = skipWords(tokens, 1, ['column'], ['if', 'exists']);
    const column = tokens[at];
    return isIdentifier(column) ? { line, kind: 'drop-column', column: column.value } : { line, kind: 'other' };
  }
  if (isWord(tokens[0], 'alter') && !isWord(tokens[1], 'constraint')) {
    const at = skipWords(tokens, 1, ['column']);
    const column = tokens[at];
    if (!isIdentifier(column)) return { line, kind: 'other' };
    const next = at + 1;
    if (isWord(tokens[next], 'type') || (isWord(tokens[next], 'set') && isWord(tokens[next + 1], 'data') && isWord(tokens[next + 2], 'type'))) {
      return { line, kind: 'alter-column-type', column: column.value };
    }
    if (isWord(tokens[next], 'set') && isWord(tokens[next + 1], 'not') && isWord(tokens[next + 2], 'null')) {
      return { line, kind: 'set-not-null', column: column.value };
    }
    return { line, kind: 'other' };
  }
  if (isWord(tokens[0], 'rename')) {
    if (isWord(tokens[1], 'constraint')) return { line, kind: 'other' };
    if (isWord(tokens[1], 'to') && isIdentifier(tokens[2])) return { line, kind: 'rename-table', to: tokens[2].value };
    const at = skipWords(tokens, 1, ['column']);
    const from = tokens[at];
    const to = tokens[at + 2];
    if (isIdentifier(from) && isWord(tokens[at + 1], 'to') && isIdentifier(to)) return { line, kind: 'rename-column', column: from.value, to: to.value };
    return { line, kind: 'other' };
  }
  if (isWord(tokens[0], 'set') && isWord(tokens[1], 'schema') && isIdentifier(tokens[2])) {
    return { line, kind: 'rename-table', to: `${tokens[2].value}.*` };
  }
  return { line, kind: 'other' };
}

function readNameList(tokens: readonly Token[], at: number): { names: QualifiedName[]; next: number } {
  const names: QualifiedName[] = [];
  let i = at;
  for (;;) {
    const read = readQualifiedName(tokens, i);
    if (!read) break;
    names.push(read.name);
    i = read.next;
    if (!isPunct(tokens[i], ',')) break;
    i++;
  }
  return { names, next: i };
}

/** Recognises the statements the checks care about; everything else is `other`. */
export function classifyStatement(tokens: readonly Token[]): MigrationStatementKind {
  const other = { kind: 'other' } as const;
  if (isWord(tokens[0], 'create')) {
    let i = skipWords(tokens, 1, ['or', 'replace']);
    while (isWord(tokens[i], 'temp', 'temporary', 'unlogged', 'global', 'local', 'recursive')) i++;
    if (isWord(tokens[i], 'table')) {
      const read = readQualifiedName(tokens, skipWords(tokens, i + 1, ['if', 'not', 'exists']));
      if (!read) return other;
      const constraints: string[] = [];
      tokens.forEach((t, k) => {
        const name = tokens[k + 1];
        if (isWord(t, 'constraint') && isIdentifier(name)) constraints.push(name.value);
      });
      return { kind: 'create-table', table: read.name, constraints };
    }
    if (isWord(tokens[i], 'unique')) i++;
    if (isWord(tokens[i], 'index')) {
      i++;
      const concurrently = isWord(tokens[i], 'concurrently');
      if (concurrently) i++;
      i = skipWords(tokens, i, ['if', 'not', 'exists']);
      let index: QualifiedName | undefined;
      if (!isWord(tokens[i], 'on')) {
        const read = readQualifiedName(tokens, i);
        if (!read) return other;
        index = read.name;
        i = read.next;
      }
      if (!isWord(tokens[i], 'on')) return other;
      const table = readQualifiedName(tokens, skipWords(tokens, i + 1, ['only']));
      if (!table) return other;
      return { kind: 'create-index', index: index && { schema: table.name.schema, name: index.name }, table: table.name, concurrently };
    }
    const materialized = isWord(tokens[i], 'materialized');
    if (materialized) i++;
    if (isWord(tokens[i], 'view')) {
      const read = readQualifiedName(tokens, skipWords(tokens, i + 1, ['if', 'not', 'exists']));
      return read ? { kind: 'create-view', view: read.name, materialized } : other;
    }
    if (isWord(tokens[i], 'function', 'procedure')) {
      const read = readQualifiedName(tokens, i + 1);
      return read ? { kind: 'create-function', function: read.name } : other;
    }
    if (isWord(tokens[i], 'extension')) {
      const name = tokens[skipWords(tokens, i + 1, ['if', 'not', 'exists'])];
      return isIdentifier(name) ? { kind: 'create-extension', extension: name.value } : other;
    }
    if (isWord(tokens[i], 'policy')) {
      const name = tokens[i + 1];
      if (!isIdentifier(name) || !isWord(tokens[i + 2], 'on')) return other;
      const table = readQualifiedName(tokens, i + 3);
      if (!table) return other;
      let k = skipWords(tokens, table.next, ['as', 'permissive'], ['as', 'restrictive']);
      let command: PolicyCommand = 'all';
      if (isWord(tokens[k], 'for') && isWord(tokens[k + 1], 'all', 'select', 'insert', 'update', 'delete')) {
        command = tokens[k + 1]!.value as PolicyCommand;
        k += 2;
      }
      const roles: string[] = [];
      if (isWord(tokens[k], 'to')) {
        k++;
        while (isIdentifier(tokens[k])) {
          roles.push(tokens[k]!.value);
          if (!isPunct(tokens[k + 1], ',')) break;
          k += 2;
        }
      }
      return { kind: 'create-policy', policy: name.value, table: table.name, command, roles: roles.length > 0 ? roles : ['public'] };
    }
    return other;
  }
  if (isWord(tokens[0], 'drop')) {
    if (isWord(tokens[1], 'table')) {
      const { names } = readNameList(tokens, skipWords(tokens, 2, ['if', 'exists']));
      return names.length > 0 ? { kind: 'drop-table', tables: names } : other;
    }
    if (isWord(tokens[1], 'policy')) {
      const at = skipWords(tokens, 2, ['if', 'exists']);
      const name = tokens[at];
      if (!isIdentifier(name) || !isWord(tokens[at + 1], 'on')) return other;
      const table = readQualifiedName(tokens, at + 2);
      return table ? { kind: 'drop-policy', policy: name.value, table: table.name } : other;
    }
    return other;
  }
  if (isWord(tokens[0], 'alter') && isWord(tokens[1], 'table')) {
    const at = skipWords(tokens, 2, ['if', 'exists'], ['only']);
    const table = readQualifiedName(tokens, at);
    if (!table) return other;
    const start = isPunct(tokens[table.next], '*') ? table.next + 1 : table.next;
    const actions = splitTopLevel(tokens.slice(start)).map(classifyAlterAction);
    return { kind: 'alter-table', table: table.name, actions };
  }
  if (isWord(tokens[0], 'grant')) {
    const on = tokens.findIndex((t) => isWord(t, 'on'));
    if (on === -1) return other;
    // Only table grants: `on [table] a, b`, not `on schema`, `on function`, `on all tables in schema`.
    const next = tokens[on + 1];
    if (isWord(next, 'schema', 'function', 'functions', 'sequence', 'sequences', 'all', 'database', 'type', 'domain', 'procedure', 'routine', 'language', 'foreign', 'large', 'tablespace', 'parameter')) {
      return other;
    }
    const { names } = readNameList(tokens, skipWords(tokens, on + 1, ['table']));
    return names.length > 0 ? { kind: 'grant', tables: names } : other;
  }
  return other;
}
