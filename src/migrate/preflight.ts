import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isWord, parseStatements, SqlLexError, type Token } from '../sql';
import { MigrationFileError } from './errors';
import type { MigrationFile } from './journal';

/**
 * What the runner checks in every file it is about to apply, before it applies any: problems that
 * would otherwise surface as a cryptic server error, half an applied file, or nothing at all.
 *
 * - the file is UTF-8 text without NUL bytes (PostgreSQL refuses NUL in a query with 08P01; a
 *   UTF-16 or binary file is full of them);
 * - it has at least one statement (an empty file would be recorded as applied, and SQL written into
 *   it later never run);
 * - a file that runs in a transaction does not end it: after a `commit;` the statements before it
 *   stay applied, and if a later one fails the file is left half-applied and unrecorded.
 */
export function preflight(migration: MigrationFile): void {
  const name = basename(migration.file);
  const nul = migration.sql.indexOf('\u0000');
  if (nul !== -1) {
    throw new MigrationFileError(name, 'contains a NUL byte: a migration is UTF-8 text (is this a UTF-16 or binary file?)', lineAt(migration.sql, nul));
  }
  if (!isUtf8(migration.file)) throw new MigrationFileError(name, 'is not valid UTF-8 text: save it as UTF-8');
  let statements;
  try {
    statements = parseStatements(migration.sql);
  } catch (error) {
    if (error instanceof SqlLexError) throw new MigrationFileError(name, error.message.replace(/ \(line \d+\)$/, ''), error.line);
    throw error;
  }
  if (statements.length === 0) {
    throw new MigrationFileError(name, 'has no statements: write its SQL, or remove it from the journal (an empty file would be recorded as applied, and SQL added to it later never run)');
  }
  if (migration.noTransaction) return;
  for (const statement of statements) {
    const control = transactionControl(statement.tokens);
    if (control) {
      throw new MigrationFileError(
        name,
        `${control} would end the transaction the file runs in: the statements before it would stay applied, and a later failure would leave the file half-applied and unrecorded. ` +
          'Remove it (each file already runs in one transaction), or mark the file "-- therapy-db: no-transaction" to run it statement by statement',
        statement.line,
      );
    }
  }
}

/** `COMMIT`, `ROLLBACK`, … when a statement starts or ends a transaction; undefined otherwise. */
function transactionControl(tokens: readonly Token[]): string | undefined {
  const [first, second, third] = tokens;
  if (isWord(first, 'commit', 'end', 'abort', 'begin')) return first!.value.toUpperCase();
  if (isWord(first, 'start') && isWord(second, 'transaction')) return 'START TRANSACTION';
  if (isWord(first, 'prepare') && isWord(second, 'transaction')) return 'PREPARE TRANSACTION';
  // ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] x stays inside the transaction.
  if (isWord(first, 'rollback') && !isWord(second, 'to') && !(isWord(second, 'work', 'transaction') && isWord(third, 'to'))) return 'ROLLBACK';
  return undefined;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function isUtf8(file: string): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
    return true;
  } catch {
    return false;
  }
}
