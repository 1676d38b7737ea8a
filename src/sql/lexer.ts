/**
 * A small PostgreSQL lexer: enough to read migrations statement by statement without being fooled
 * by comments, string literals, dollar-quoted bodies or quoted identifiers. It does not parse SQL;
 * the checks look at the token sequence of a statement.
 */
export type TokenKind =
  /** A keyword or an unquoted identifier; `value` is lower-cased, as Postgres folds it. */
  | 'word'
  /** A double-quoted identifier; `value` is the identifier, `""` unescaped, case kept. */
  | 'quoted'
  /** A string literal (`'…'`, `E'…'`, `$tag$…$tag$`); `value` is its content. */
  | 'string'
  | 'number'
  /** A positional parameter, `$1`. */
  | 'param'
  /** `-- …` or `/* … *\/`; `value` is the text without the comment markers. */
  | 'comment'
  /** One punctuation or operator character, or `::`. */
  | 'punct';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly value: string;
  /** Offset of the first character in the source. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
  /** 1-based line of the first character. */
  readonly line: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

export class SqlLexError extends Error {
  override readonly name = 'SqlLexError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`${message} (line ${line})`);
  }
}

/** Splits SQL text into tokens; whitespace is dropped, comments are kept as tokens. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value: string): void => {
    const text = sql.slice(start, end);
    tokens.push({ kind, text, value, start, end, line });
    for (let k = start; k < end; k++) if (sql.charCodeAt(k) === 10) line++;
  };
  /** Reads a quoted run ending at `quote`, where a doubled quote is an escaped one. */
  const quoted = (from: number, quote: string, backslash: boolean): { end: number; value: string } => {
    let value = '';
    let k = from;
    for (;;) {
      if (k >= sql.length) throw new SqlLexError(`unterminated ${quote === '"' ? 'quoted identifier' : 'string literal'}`, line);
      const c = sql[k]!;
      if (backslash && c === '\\') {
        value += sql[k + 1] ?? '';
        k += 2;
        continue;
      }
      if (c === quote) {
        if (sql[k + 1] === quote) {
          value += quote;
          k += 2;
          continue;
        }
        return { end: k + 1, value };
      }
      value += c;
      k++;
    }
  };

  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      const end = nl === -1 ? sql.length : nl;
      push('comment', i, end, sql.slice(i + 2, end));
      i = end;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      let depth = 0;
      let k = i;
      do {
        if (k >= sql.length) throw new SqlLexError('unterminated block comment', line);
        if (sql[k] === '/' && sql[k + 1] === '*') {
          depth++;
          k += 2;
        } else if (sql[k] === '*' && sql[k + 1] === '/') {
          depth--;
          k += 2;
        } else k++;
      } while (depth > 0);
      push('comment', i, k, sql.slice(i + 2, k - 2));
      i = k;
      continue;
    }
    if (c === "'") {
      const { end, value } = quoted(i + 1, "'", false);
      push('string', i, end, value);
      i = end;
      continue;
    }
    if (c === '"') {
      const { end, value } = quoted(i + 1, '"', false);
      push('quoted', i, end, value);
      i = end;
      continue;
    }
    if (c === '$') {
      const tag = DOLLAR_TAG.exec(sql.slice(i, i + 64));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        if (close === -1) throw new SqlLexError(`unterminated dollar-quoted string ${tag[0]}`, line);
        push('string', i, close + tag[0].length, sql.slice(i + tag[0].length, close));
        i = close + tag[0].length;
        continue;
      }
      let k = i + 1;
      while (k < sql.length && /[0-9]/.test(sql[k]!)) k++;
      if (k > i + 1) {
        push('param', i, k, sql.slice(i + 1, k));
        i = k;
        continue;
      }
    }
    if (WORD_START.test(c)) {
      // Prefixed literals: E'…' (backslash escapes), U&'…', U&"…", B'…', X'…'.
      const next = sql[i + 1];
      if ((c === 'e' || c === 'E') && next === "'") {
        const { end, value } = quoted(i + 2, "'", true);
        push('string', i, end, value);
        i = end;
        continue;
      }
      if ((c === 'u' || c === 'U') && next === '&' && (sql[i + 2] === "'" || sql[i + 2] === '"')) {
        const q = sql[i + 2]!;
        const { end, value } = quoted(i + 3, q, false);
        push(q === '"' ? 'quoted' : 'string', i, end, value);
        i = end;
        continue;
      }
      if ((c === 'b' || c === 'B' || c === 'x' || c === 'X') && next === "'") {
        const { end, value } = quoted(i + 2, "'", false);
        push('string', i, end, value);
        i = end;
        continue;
      }
      let k = i + 1;
      while (k < sql.length && WORD_PART.test(sql[k]!)) k++;
      push('word', i, k, sql.slice(i, k).toLowerCase());
      i = k;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      let k = i;
      while (k < sql.length && /[0-9._]/.test(sql[k]!)) k++;
      if (/[eE]/.test(sql[k] ?? '') && /[-+0-9]/.test(sql[k + 1] ?? '')) {
        k += 2;
        while (k < sql.length && /[0-9]/.test(sql[k]!)) k++;
      }
      push('number', i, k, sql.slice(i, k));
      i = k;
      continue;
    }
    if (c === ':' && sql[i + 1] === ':') {
      push('punct', i, i + 2, '::');
      i += 2;
      continue;
    }
    push('punct', i, i + 1, c);
    i++;
  }
  return tokens;
}

/** True for a `word` token with this (lower-case) keyword. */
export function isWord(token: Token | undefined, ...words: readonly string[]): boolean {
  return token !== undefined && token.kind === 'word' && words.includes(token.value);
}

export function isPunct(token: Token | undefined, text: string): boolean {
  return token !== undefined && token.kind === 'punct' && token.text === text;
}
