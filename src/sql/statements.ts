import { isPunct, isWord, tokenize, type Token } from './lexer';

/** One SQL statement of a migration file, located by line. */
export interface SqlStatement {
  /** 1-based position in the file. */
  readonly index: number;
  /** 1-based line of the statement's first token. */
  readonly line: number;
  /** The statement's source text, without the terminating `;`. */
  readonly text: string;
  /** The statement's tokens, comments removed. */
  readonly tokens: readonly Token[];
  /**
   * The comments that belong to the statement: those between the previous statement and this one
   * (e.g. an allow marker on the line before) and those inside it.
   */
  readonly comments: readonly Token[];
}

const BREAKPOINT = /^> statement-breakpoint/;

/**
 * Splits a migration into statements at top-level `;` and at drizzle-kit's
 * `--> statement-breakpoint`, with each statement's line and comments. Semicolons inside strings,
 * dollar-quoted function bodies, quoted identifiers, comments and `begin atomic … end` bodies do
 * not split.
 */
export function parseStatements(sql: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let tokens: Token[] = [];
  let comments: Token[] = [];
  const flush = (): void => {
    const first = tokens[0];
    const last = tokens.at(-1);
    if (first && last) {
      statements.push({ index: statements.length + 1, line: first.line, text: sql.slice(first.start, last.end), tokens, comments });
      tokens = [];
      comments = [];
    }
    // Comments after the last statement of a segment stay pending for the next statement.
  };
  // Inside the body of `create function … begin atomic … end` (SQL-standard bodies), `;` ends the
  // body's statements, not the CREATE: count begin atomic / case … end, as psql does.
  let atomicDepth = 0;
  for (const token of tokenize(sql)) {
    if (token.kind === 'comment') {
      if (BREAKPOINT.test(token.value)) {
        flush();
        atomicDepth = 0;
      } else comments.push(token);
      continue;
    }
    if (isPunct(token, ';') && atomicDepth === 0) {
      flush();
      continue;
    }
    if (atomicDepth > 0) {
      if (isWord(token, 'case')) atomicDepth++;
      else if (isWord(token, 'end')) atomicDepth--;
    } else if (isWord(token, 'atomic') && isWord(tokens.at(-1), 'begin') && isWord(tokens[0], 'create')) {
      atomicDepth = 1;
    }
    tokens.push(token);
  }
  flush();
  return statements;
}
