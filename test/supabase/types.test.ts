import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPABASE_TYPES_PATH, supabaseTypesText } from '../../src/typegen';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * The supabase-js types against the real generator: postgres-meta (the engine behind
 * `supabase gen types typescript`) generates its types from the migrated database, and the compiler
 * checks, table by table and column by column, that ours are the same or narrower: every Row field of
 * ours assignable to theirs, every Insert field optional exactly when theirs is. postgres-meta reaches
 * the embedded database through its wire-protocol socket as it reaches a server.
 */

const repo = resolve(__dirname, '..', '..');

describe('the committed supabase-js types', () => {
  it('are what `npm run db:generate` writes from the schema (regeneration is a no-op)', () => {
    expect(readFileSync(join(repo, SUPABASE_TYPES_PATH), 'utf8') === supabaseTypesText(), `${SUPABASE_TYPES_PATH} is stale: run npm run db:generate`).toBe(true);
  });
});

/** Runs postgres-meta's type generator against `url`; resolves with the TypeScript it prints. */
function postgresMetaTypes(url: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(repo, 'node_modules', '@supabase', 'postgres-meta', 'dist', 'server', 'server.js')], {
      env: { ...process.env, PG_META_DB_URL: url, PG_META_GENERATE_TYPES: 'typescript', PG_META_GENERATE_TYPES_INCLUDED_SCHEMAS: 'public' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 && out.includes('export type Database') ? resolvePromise(out) : reject(new Error(`postgres-meta exited ${code}: ${err}`))));
  });
}

interface Column {
  readonly table: string;
  readonly column: string;
}

describe("ours against postgres-meta's types of the migrated database", () => {
  let db: TestDatabase;
  let work: string;
  let tables: string[];
  let columns: Column[];
  let diagnostics: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    work = mkdtempSync(join(tmpdir(), 'therapy-db-types-'));
    writeFileSync(join(work, 'theirs.ts'), await postgresMetaTypes(db.url));
    copyFileSync(join(repo, SUPABASE_TYPES_PATH), join(work, 'ours.ts'));
    // What postgres-meta lists: the tables of the public schema and their columns.
    tables = (await db.sql<{ name: string }[]>`select c.relname as name from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`).map((r) => r.name);
    columns = await db.sql<Column[]>`select table_name as table, column_name as column from information_schema.columns
      where table_schema = 'public' and table_name = any(${tables}) order by 1, 2`;

    // One compile-time assertion per table and column; each failure names what it checks.
    const lines = [
      `import type { Database as Ours } from './ours';`,
      `import type { Database as Theirs } from './theirs';`,
      `type O = Ours['public']['Tables'];`,
      `type T = Theirs['public']['Tables'];`,
      `type Assignable<A, B> = [A] extends [B] ? true : false;`,
      `type Optional<R, K extends keyof R> = {} extends Pick<R, K> ? true : false;`,
      `type Present<K> = [K] extends [never] ? false : true;`,
    ];
    const id = (s: string) => s.replace(/\W/g, '_');
    for (const table of tables) lines.push(`export const table__${id(table)}: Present<Extract<keyof O, '${table}'>> = true;`);
    for (const { table, column } of columns) {
      const path = `['${table}']`;
      const c = `'${column}'`;
      lines.push(
        `export const row__${id(table)}__${id(column)}: Assignable<O${path}['Row'][${c}], T${path}['Row'][${c}]> = true;`,
        `export const insert__${id(table)}__${id(column)}: Optional<O${path}['Insert'], ${c}> = {} as Optional<T${path}['Insert'], ${c}>;`,
        `export const insertType__${id(table)}__${id(column)}: Assignable<O${path}['Insert'][${c}], T${path}['Insert'][${c}]> = true;`,
      );
    }
    // A canary the compiler must reject, so an assertion that cannot fail is noticed.
    lines.push(`export const canary__wider: Assignable<O['therapy_sessions']['Row']['status'], 'scheduled'> = true;`);
    writeFileSync(join(work, 'check.ts'), `${lines.join('\n')}\n`);
    const program = ts.createProgram([join(work, 'check.ts')], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, types: [] });
    diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file && d.start !== undefined ? /export const (\w+)/.exec(d.file.text.slice(d.file.text.lastIndexOf('\n', d.start) + 1, d.start + 200))?.[1] : undefined;
      return `${where ?? d.file?.fileName ?? '?'}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
  }, 240_000);
  afterAll(async () => {
    await db?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('postgres-meta sees every table of ours (32 tables, all public but the audit log)', () => {
    expect(tables.length).toBeGreaterThanOrEqual(31);
    expect(columns.length).toBeGreaterThan(tables.length * 3);
  });

  it('0 tables missing, 0 columns wider than theirs, 0 Insert optionality differences', () => {
    const byKind = (prefix: string) => diagnostics.filter((d) => d.startsWith(`${prefix}__`));
    expect(byKind('canary')).toHaveLength(1);
    expect({
      missingTables: byKind('table'),
      widerRowColumns: byKind('row'),
      insertOptionality: byKind('insert'),
      widerInsertColumns: byKind('insertType'),
      other: diagnostics.filter((d) => !/^(table|row|insert|insertType|canary)__/.test(d)),
    }).toEqual({ missingTables: [], widerRowColumns: [], insertOptionality: [], widerInsertColumns: [], other: [] });
  });

  it('is narrower than theirs where the schema knows the code list', () => {
    const ours = readFileSync(join(work, 'ours.ts'), 'utf8');
    const theirs = readFileSync(join(work, 'theirs.ts'), 'utf8');
    const statusOf = (text: string) => /therapy_sessions: \{\s*Row: \{[\s\S]*?\n\s*status: ([^\n]+)/.exec(text)?.[1];
    expect(statusOf(theirs)).toBe('string');
    expect(statusOf(ours)).toBe('"scheduled" | "confirmed" | "in_progress" | "completed" | "cancelled" | "no_show"');
  });
});
