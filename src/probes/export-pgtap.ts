import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureStatements, stableId } from '../demo';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { packageRoot } from '../paths';
import { allAccess } from '../policies';
import { PGTAP_FILE_PREFIX, pgTapSuite, type PgTapFile } from './pgtap';
import { policyWorldStatements } from './world';

export interface ExportPgTapOptions {
  /** Where the files go; default `supabase/tests/database` (where `supabase test db` looks). */
  readonly dir?: string;
  readonly dryRun?: boolean;
  readonly log?: Logger;
}

export interface ExportPgTapResult {
  readonly dir: string;
  readonly files: readonly PgTapFile[];
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  /** Files of an earlier export for tables that no longer exist. */
  readonly removed: readonly string[];
  /** Tests in all files. */
  readonly tests: number;
}

/** This package's pgTAP suite (the same text on every run and machine). */
export function packagePgTapSuite(): PgTapFile[] {
  const { fixture, statements: fixtureSql } = fixtureStatements();
  const { world, statements: worldSql } = policyWorldStatements(fixture);
  let n = 0;
  const version = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return pgTapSuite({
    access: allAccess,
    world,
    worldStatements: [...fixtureSql, ...worldSql],
    newId: () => stableId(`pgtap:probe:${++n}`),
    generator: `therapy-db ${version}`,
  });
}

/**
 * Writes the access-matrix suite as pgTAP files (`therapy-db export pgtap`): one file per table,
 * `therapy_db_rls_<table>.test.sql`. They are generated: a file that changed is rewritten, and a file
 * of an earlier export whose table is gone is removed; other files in the folder are left alone.
 */
export function exportPgTap(options: ExportPgTapOptions = {}): ExportPgTapResult {
  const log = options.log ?? silentLogger;
  const dir = options.dir ?? join('supabase', 'tests', 'database');
  const files = packagePgTapSuite();
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const file of files) {
    const path = join(dir, file.name);
    if (existsSync(path) && readFileSync(path, 'utf8') === file.text) {
      unchanged.push(file.name);
      continue;
    }
    if (!options.dryRun) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path, file.text);
    }
    written.push(file.name);
    log(`${options.dryRun ? 'would write' : 'wrote'} ${path} (${file.tests} tests)`);
  }
  const names = new Set(files.map((f) => f.name));
  const removed = existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith(PGTAP_FILE_PREFIX) && f.endsWith('.test.sql') && !names.has(f)) : [];
  for (const name of removed) {
    if (!options.dryRun) rmSync(join(dir, name));
    log(`${options.dryRun ? 'would remove' : 'removed'} ${join(dir, name)} (its table is gone)`);
  }
  const tests = files.reduce((sum, f) => sum + f.tests, 0);
  log(`pgTAP: ${files.length} files, ${tests} tests; ${written.length} ${options.dryRun ? 'to write' : 'written'}, ${unchanged.length} unchanged${removed.length > 0 ? `, ${removed.length} removed` : ''}`);
  return { dir, files, written, unchanged, removed, tests };
}
