import { isPunct, tokenize, type Token } from './lexer';

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
 * dollar-quoted function bodies, quoted identifiers and comments do not split.
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
  for (const token of tokenize(sql)) {
    if (token.kind === 'comment') {
      if (BREAKPOINT.test(token.value)) flush();
      else comments.push(token);
      continue;
    }
    if (isPunct(token, ';')) {
      flush();
      continue;
    }
    tokens.push(token);
  }
  flush();
  return statements;
}
