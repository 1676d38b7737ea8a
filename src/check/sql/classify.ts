import { isPunct, isWord, type Token } from '../../sql';
import { isIdentifier, readQualifiedName, type QualifiedName } from './names';

export type PolicyCommand = 'all' | 'select' | 'insert' | 'update' | 'delete';

/** A foreign key's target: the referenced table and columns. */
export interface ForeignKeyTarget {
  readonly table: QualifiedName;
  readonly columns: readonly string[];
}

/** One action of an `ALTER TABLE`, with the line it starts on and its tokens. */
export type AlterTableAction = { readonly line: number; readonly tokens: readonly Token[] } & (
  | {
      readonly kind: 'add-column';
      readonly column: string;
      readonly notNull: boolean;
      readonly hasDefault: boolean;
      /** The `default` expression's tokens, when there is one. */
      readonly defaultTokens: readonly Token[];
    }
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
      /** UNIQUE / PRIMARY KEY: the key columns as written (`"a"`, `"b"`). */
      readonly columns: readonly string[];
      /** UNIQUE NULLS NOT DISTINCT. */
      readonly nullsNotDistinct: boolean;
      /** FOREIGN KEY: what it references. */
      readonly references: ForeignKeyTarget | undefined;
    }
  | { readonly kind: 'validate-constraint'; readonly constraint: string }
  | { readonly kind: 'drop-constraint'; readonly constraint: string }
  | { readonly kind: 'row-level-security'; readonly setting: 'enable' | 'disable' | 'force' | 'no force' }
  | { readonly kind: 'rename-column'; readonly column: string; readonly to: string }
  | { readonly kind: 'rename-table'; readonly to: string }
  /** Settings that take only a SHARE UPDATE EXCLUSIVE lock: `set statistics`, `set (…)`, `cluster on`. */
  | { readonly kind: 'settings' }
  /** `enable`/`disable trigger`: a SHARE ROW EXCLUSIVE lock. */
  | { readonly kind: 'trigger-state' }
  | { readonly kind: 'other' }
);

/** What a migration statement does, as far as the checks need to know. */
export type MigrationStatementKind =
  | { readonly kind: 'create-table'; readonly table: QualifiedName; readonly constraints: readonly string[] }
  | { readonly kind: 'drop-table'; readonly tables: readonly QualifiedName[] }
  | {
      readonly kind: 'create-index';
      readonly index: QualifiedName | undefined;
      readonly table: QualifiedName;
      readonly concurrently: boolean;
      readonly unique: boolean;
    }
  /** `drop index`: the index names (their tables are not named). */
  | { readonly kind: 'drop-index'; readonly indexes: readonly QualifiedName[]; readonly concurrently: boolean }
  | { readonly kind: 'alter-table'; readonly table: QualifiedName; readonly actions: readonly AlterTableAction[] }
  | {
      readonly kind: 'create-policy';
      readonly policy: string;
      readonly table: QualifiedName;
      readonly command: PolicyCommand;
      readonly roles: readonly string[];
    }
  | { readonly kind: 'alter-policy'; readonly policy: string; readonly table: QualifiedName }
  | { readonly kind: 'drop-policy'; readonly policy: string; readonly table: QualifiedName }
  | { readonly kind: 'create-trigger'; readonly trigger: string; readonly table: QualifiedName }
  | { readonly kind: 'drop-trigger'; readonly trigger: string; readonly table: QualifiedName }
  | { readonly kind: 'create-function'; readonly function: QualifiedName }
  | { readonly kind: 'create-view'; readonly view: QualifiedName; readonly materialized: boolean }
  | { readonly kind: 'create-extension'; readonly extension: string }
  | { readonly kind: 'grant'; readonly tables: readonly QualifiedName[] }
  | { readonly kind: 'truncate'; readonly tables: readonly QualifiedName[]; readonly cascade: boolean }
  /** `delete from t` / `update t set …`, and whether a `where` clause limits it. */
  | { readonly kind: 'delete' | 'update'; readonly table: QualifiedName; readonly where: boolean }
  | { readonly kind: 'do-block' }
  /** `cluster [t]`; `vacuum full [t]`: rewrite the table under ACCESS EXCLUSIVE. */
  | { readonly kind: 'cluster'; readonly table: QualifiedName | undefined }
  | { readonly kind: 'vacuum'; readonly tables: readonly QualifiedName[]; readonly full: boolean }
  | { readonly kind: 'lock-table'; readonly tables: readonly QualifiedName[]; readonly mode: string }
  | { readonly kind: 'reindex'; readonly table: QualifiedName | undefined; readonly concurrently: boolean }
  | { readonly kind: 'refresh-materialized-view'; readonly view: QualifiedName; readonly concurrently: boolean }
  | { readonly kind: 'comment'; readonly table: QualifiedName | undefined }
  /** `set [local] name = value` / `set [local] name to value`. */
  | { readonly kind: 'set'; readonly name: string; readonly local: boolean; readonly value: string }
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

/** The identifiers of a parenthesised list starting at `open` (a `(` token), and the index after `)`. */
function readColumnList(tokens: readonly Token[], open: number): { columns: string[]; next: number } | undefined {
  if (!isPunct(tokens[open], '(')) return undefined;
  const columns: string[] = [];
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) {
      depth--;
      if (depth === 0) return { columns, next: k + 1 };
    } else if (depth === 1 && isIdentifier(t)) columns.push(t.text);
  }
  return undefined;
}

function classifyAddConstraint(tokens: readonly Token[], line: number, top: readonly Token[]): AlterTableAction {
  const named = isWord(tokens[1], 'constraint');
  const constraint = named && isIdentifier(tokens[2]) ? tokens[2].value : undefined;
  const typeAt = tokens.findIndex((t, k) => k >= (named ? 3 : 1) && isConstraintWord(t));
  const typeWord = tokens[typeAt];
  const type = (typeWord && CONSTRAINT_WORDS.get(typeWord.value)) ?? 'other';
  let columns: readonly string[] = [];
  let nullsNotDistinct = false;
  let references: ForeignKeyTarget | undefined;
  if (type === 'unique' || type === 'primary-key') {
    let k = typeAt + (type === 'primary-key' ? 2 : 1);
    if (isWord(tokens[k], 'nulls')) {
      nullsNotDistinct = isWord(tokens[k + 1], 'not');
      k = skipWords(tokens, k, ['nulls', 'not', 'distinct'], ['nulls', 'distinct']);
    }
    columns = readColumnList(tokens, k)?.columns ?? [];
  } else if (type === 'foreign-key') {
    const at = tokens.findIndex((t) => isWord(t, 'references'));
    const target = at === -1 ? undefined : readQualifiedName(tokens, at + 1);
    if (target) references = { table: target.name, columns: readColumnList(tokens, target.next)?.columns.map(unquote) ?? [] };
  }
  return {
    line,
    tokens,
    kind: 'add-constraint',
    constraint,
    type,
    notValid: hasSequence(top, 'not', 'valid'),
    usingIndex: top.some((t, k) => isWord(t, 'using') && isWord(top[k + 1], 'index') && !isWord(top[k + 2], 'tablespace')),
    columns,
    nullsNotDistinct,
    references,
  };
}

/** An identifier as written (`"a"` or `a`) to its name. */
function unquote(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text.toLowerCase();
}

function classifyAlterAction(tokens: readonly Token[]): AlterTableAction {
  const line = tokens[0]!.line;
  const other = { line, tokens, kind: 'other' } as const;
  const top = topLevel(tokens);
  if (isWord(tokens[0], 'add')) {
    const second = tokens[1];
    if (isWord(second, 'constraint') || isConstraintWord(second)) return classifyAddConstraint(tokens, line, top);
    const at = skipWords(tokens, 1, ['column'], ['if', 'not', 'exists']);
    const column = tokens[at];
    if (!isIdentifier(column)) return other;
    const rest = topLevel(tokens.slice(at + 1));
    // `on delete set default` is not a default value.
    const defaultAt = tokens.findIndex((t, k) => k > at && isWord(t, 'default') && !isWord(tokens[k - 1], 'set'));
    const defaultTokens = defaultAt === -1 ? [] : expressionTokens(tokens, defaultAt + 1);
    return {
      line,
      tokens,
      kind: 'add-column',
      column: column.value,
      notNull: hasSequence(rest, 'not', 'null') || hasSequence(rest, 'primary', 'key'),
      hasDefault: defaultAt !== -1 || hasSequence(rest, 'generated'),
      defaultTokens,
    };
  }
  if (isWord(tokens[0], 'validate') && isWord(tokens[1], 'constraint') && isIdentifier(tokens[2])) {
    return { line, tokens, kind: 'validate-constraint', constraint: tokens[2].value };
  }
  if (isWord(tokens[0], 'drop')) {
    if (isWord(tokens[1], 'constraint')) {
      const name = tokens[skipWords(tokens, 2, ['if', 'exists'])];
      return isIdentifier(name) ? { line, tokens, kind: 'drop-constraint', constraint: name.value } : other;
    }
    const at = skipWords(tokens, 1, ['column'], ['if', 'exists']);
    const column = tokens[at];
    return isIdentifier(column) ? { line, tokens, kind: 'drop-column', column: column.value } : other;
  }
  const rls = skipWords(tokens, 0, ['no']);
  if (isWord(tokens[rls], 'enable', 'disable', 'force') && isWord(tokens[rls + 1], 'row') && isWord(tokens[rls + 2], 'level')) {
    const word = tokens[rls]!.value as 'enable' | 'disable' | 'force';
    return { line, tokens, kind: 'row-level-security', setting: rls === 1 ? 'no force' : word };
  }
  if (isWord(tokens[0], 'enable', 'disable') && (isWord(tokens[1], 'trigger') || isWord(tokens[2], 'trigger'))) {
    return { line, tokens, kind: 'trigger-state' };
  }
  if (isWord(tokens[0], 'cluster') || (isWord(tokens[0], 'set') && (isPunct(tokens[1], '(') || isWord(tokens[1], 'without')))) {
    return { line, tokens, kind: 'settings' };
  }
  if (isWord(tokens[0], 'alter') && !isWord(tokens[1], 'constraint')) {
    const at = skipWords(tokens, 1, ['column']);
    const column = tokens[at];
    if (!isIdentifier(column)) return other;
    const next = at + 1;
    if (isWord(tokens[next], 'type') || (isWord(tokens[next], 'set') && isWord(tokens[next + 1], 'data') && isWord(tokens[next + 2], 'type'))) {
      return { line, tokens, kind: 'alter-column-type', column: column.value };
    }
    if (isWord(tokens[next], 'set') && isWord(tokens[next + 1], 'not') && isWord(tokens[next + 2], 'null')) {
      return { line, tokens, kind: 'set-not-null', column: column.value };
    }
    if (isWord(tokens[next], 'set') && isWord(tokens[next + 1], 'statistics', 'storage', 'compression')) return { line, tokens, kind: 'settings' };
    return other;
  }
  if (isWord(tokens[0], 'rename')) {
    if (isWord(tokens[1], 'constraint')) return other;
    if (isWord(tokens[1], 'to') && isIdentifier(tokens[2])) return { line, tokens, kind: 'rename-table', to: tokens[2].value };
    const at = skipWords(tokens, 1, ['column']);
    const from = tokens[at];
    const to = tokens[at + 2];
    if (isIdentifier(from) && isWord(tokens[at + 1], 'to') && isIdentifier(to)) return { line, tokens, kind: 'rename-column', column: from.value, to: to.value };
    return other;
  }
  if (isWord(tokens[0], 'set') && isWord(tokens[1], 'schema') && isIdentifier(tokens[2])) {
    return { line, tokens, kind: 'rename-table', to: `${tokens[2].value}.*` };
  }
  return other;
}

/** Words that end a column's default expression at the top level. */
const COLUMN_CONSTRAINT_WORDS = ['not', 'null', 'constraint', 'primary', 'unique', 'references', 'check', 'generated', 'collate'];

/** The tokens of an expression starting at `from`, up to the next top-level column-constraint keyword. */
function expressionTokens(tokens: readonly Token[], from: number): Token[] {
  const out: Token[] = [];
  let depth = 0;
  for (let k = from; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (depth === 0 && t.kind === 'word' && COLUMN_CONSTRAINT_WORDS.includes(t.value)) break;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    out.push(t);
  }
  return out;
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
    const unique = isWord(tokens[i], 'unique');
    if (unique) i++;
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
      return { kind: 'create-index', index: index && { schema: table.name.schema, name: index.name }, table: table.name, concurrently, unique };
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
    if (isWord(tokens[i], 'constraint') && isWord(tokens[i + 1], 'trigger')) i++;
    if (isWord(tokens[i], 'trigger')) {
      const name = tokens[i + 1];
      const on = tokens.findIndex((t, k) => k > i + 1 && isWord(t, 'on'));
      const table = on === -1 ? undefined : readQualifiedName(tokens, on + 1);
      return isIdentifier(name) && table ? { kind: 'create-trigger', trigger: name.value, table: table.name } : other;
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
    if (isWord(tokens[1], 'trigger')) {
      const at = skipWords(tokens, 2, ['if', 'exists']);
      const name = tokens[at];
      if (!isIdentifier(name) || !isWord(tokens[at + 1], 'on')) return other;
      const table = readQualifiedName(tokens, at + 2);
      return table ? { kind: 'drop-trigger', trigger: name.value, table: table.name } : other;
    }
    if (isWord(tokens[1], 'index')) {
      const concurrently = isWord(tokens[2], 'concurrently');
      const { names } = readNameList(tokens, skipWords(tokens, concurrently ? 3 : 2, ['if', 'exists']));
      return names.length > 0 ? { kind: 'drop-index', indexes: names, concurrently } : other;
    }
    return other;
  }
  if (isWord(tokens[0], 'alter') && isWord(tokens[1], 'policy')) {
    const name = tokens[2];
    const table = isIdentifier(name) && isWord(tokens[3], 'on') ? readQualifiedName(tokens, 4) : undefined;
    return table ? { kind: 'alter-policy', policy: name!.value, table: table.name } : other;
  }
  if (isWord(tokens[0], 'truncate')) {
    const { names } = readNameList(tokens, skipWords(tokens, 1, ['table'], ['only']));
    return names.length > 0 ? { kind: 'truncate', tables: names, cascade: tokens.some((t) => isWord(t, 'cascade')) } : other;
  }
  if (isWord(tokens[0], 'delete') && isWord(tokens[1], 'from')) {
    const table = readQualifiedName(tokens, skipWords(tokens, 2, ['only']));
    return table ? { kind: 'delete', table: table.name, where: topLevel(tokens).some((t) => isWord(t, 'where')) } : other;
  }
  if (isWord(tokens[0], 'update')) {
    const table = readQualifiedName(tokens, skipWords(tokens, 1, ['only']));
    return table ? { kind: 'update', table: table.name, where: topLevel(tokens).some((t) => isWord(t, 'where')) } : other;
  }
  if (isWord(tokens[0], 'do')) return { kind: 'do-block' };
  if (isWord(tokens[0], 'cluster')) {
    const table = readQualifiedName(tokens, skipWords(tokens, 1, ['verbose']));
    return { kind: 'cluster', table: table?.name };
  }
  if (isWord(tokens[0], 'vacuum')) {
    let k = 1;
    let full = false;
    if (isPunct(tokens[1], '(')) {
      const list = readColumnList(tokens, 1);
      full = tokens.slice(1, list?.next ?? 1).some((t) => isWord(t, 'full'));
      k = list?.next ?? 1;
    }
    while (isWord(tokens[k], 'full', 'freeze', 'verbose', 'analyze')) {
      if (isWord(tokens[k], 'full')) full = true;
      k++;
    }
    return { kind: 'vacuum', tables: readNameList(tokens, k).names, full };
  }
  if (isWord(tokens[0], 'lock')) {
    const { names, next } = readNameList(tokens, skipWords(tokens, 1, ['table'], ['only']));
    const modeAt = isWord(tokens[next], 'in') ? next + 1 : -1;
    const modeEnd = tokens.findIndex((t, k) => k > modeAt && isWord(t, 'mode'));
    const mode = modeAt === -1 || modeEnd === -1 ? 'access exclusive' : tokens.slice(modeAt, modeEnd).map((t) => t.value).join(' ');
    return names.length > 0 ? { kind: 'lock-table', tables: names, mode } : other;
  }
  if (isWord(tokens[0], 'reindex')) {
    let k = 1;
    if (isPunct(tokens[1], '(')) k = readColumnList(tokens, 1)?.next ?? 1;
    const target = tokens[k];
    const concurrently = isWord(tokens[k + 1], 'concurrently');
    const table = isWord(target, 'table') ? readQualifiedName(tokens, k + (concurrently ? 2 : 1)) : undefined;
    return { kind: 'reindex', table: table?.name, concurrently };
  }
  if (isWord(tokens[0], 'refresh') && isWord(tokens[1], 'materialized') && isWord(tokens[2], 'view')) {
    const concurrently = isWord(tokens[3], 'concurrently');
    const view = readQualifiedName(tokens, concurrently ? 4 : 3);
    return view ? { kind: 'refresh-materialized-view', view: view.name, concurrently } : other;
  }
  if (isWord(tokens[0], 'comment') && isWord(tokens[1], 'on')) {
    if (isWord(tokens[2], 'table')) return { kind: 'comment', table: readQualifiedName(tokens, 3)?.name };
    if (isWord(tokens[2], 'column')) {
      // `schema.table.column` or `table.column`: the table is the name before the last dot.
      const parts: Token[] = [];
      for (let k = 3; isIdentifier(tokens[k]); k += 2) {
        parts.push(tokens[k]!);
        if (!isPunct(tokens[k + 1], '.')) break;
      }
      const table =
        parts.length === 3 ? { schema: parts[0]!.value, name: parts[1]!.value } : parts.length === 2 ? { schema: 'public', name: parts[0]!.value } : undefined;
      return { kind: 'comment', table };
    }
    return { kind: 'comment', table: undefined };
  }
  if (isWord(tokens[0], 'set')) {
    const local = isWord(tokens[1], 'local');
    const at = skipWords(tokens, 1, ['local'], ['session']);
    const name = tokens[at];
    if (!isIdentifier(name) || !(isPunct(tokens[at + 1], '=') || isWord(tokens[at + 1], 'to'))) return other;
    return { kind: 'set', name: name.value, local, value: tokens.slice(at + 2).map((t) => t.value).join(' ') };
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
