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
