import { readMigrations, type MigrationFile } from '../migrate';
import { classifyStatement, type MigrationStatementKind } from './sql/classify';
import { parseStatements, type SqlStatement } from '../sql';

export interface ParsedStatement extends SqlStatement {
  readonly what: MigrationStatementKind;
}

/** A migration file read statement by statement. */
export interface ParsedMigration {
  readonly tag: string;
  /** Absolute path. */
  readonly file: string;
  readonly sql: string;
  readonly hash: string;
  readonly statements: readonly ParsedStatement[];
}

/** SQL text read statement by statement and classified. */
export function parseSql(sql: string): ParsedStatement[] {
  return parseStatements(sql).map((s) => ({ ...s, what: classifyStatement(s.tokens) }));
}

export function parseMigration(migration: Pick<MigrationFile, 'tag' | 'file' | 'sql' | 'hash'>): ParsedMigration {
  const statements = parseSql(migration.sql);
  return { tag: migration.tag, file: migration.file, sql: migration.sql, hash: migration.hash, statements };
}

/** The migrations of a drizzle-kit folder in journal order, parsed. */
export function readParsedMigrations(folder: string): ParsedMigration[] {
  return readMigrations(folder).map(parseMigration);
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
