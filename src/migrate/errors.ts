/** A migration failed; its transaction was rolled back, so the database is as it was before the file. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    readonly file: string,
    /** 1-based position of the failing statement in the file. */
    readonly statementNumber: number,
    readonly statement: string,
    /** The Postgres SQLSTATE, e.g. `42P01` (undefined table). */
    readonly sqlState: string | undefined,
    cause: unknown,
  ) {
    const pgMessage = (cause as Error | undefined)?.message ?? String(cause);
    const preview = statement.length > 200 ? `${statement.slice(0, 200)}…` : statement;
    super(
      `migration ${file} failed at statement ${statementNumber} (SQLSTATE ${sqlState ?? 'unknown'}): ${pgMessage}\n  ${preview.replace(/\n/g, '\n  ')}`,
      { cause },
    );
  }
}

/**
 * A migrations folder or file the runner will not apply: an unreadable journal, a file that is
 * empty, not UTF-8 text, or ends the migration's transaction early. Raised before anything runs.
 */
export class MigrationFileError extends Error {
  override readonly name = 'MigrationFileError';
  constructor(
    /** The file at fault (a migration, or `meta/_journal.json`). */
    readonly file: string,
    message: string,
    /** 1-based line, when one line is at fault. */
    readonly line?: number,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${message}`);
  }
}
