import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { detectDrift, readParsedMigrations, safetyCheck } from '../check';
import { advanceSnapshot, diffDdl, phaseStatements, type DdlObject, type DdlPhase, type DdlSnapshot } from '../ddl';
import { GENERATED_HEADER, renderMigration } from './render';
import { safeMigrationParts } from './safe-migration';
import type { Logger } from '../log';
import { readDdlSnapshot, readJournalTags, writeDdlSnapshot } from '../migrate';

/**
 * The generator behind `therapy-db generate` (this repository) and `therapy-db/generate` (apps). drizzle-kit generates the tables, indexes, foreign keys, checks,
 * RLS flags and policies; the objects it cannot express are declared in TypeScript (`src/ddl`) and
 * written into drizzle-kit custom migrations around it:
 *
 *   1. `<name>_prelude`  schemas, extensions and RLS helper functions policies call (phase `pre`)
 *   2. `<name>`          drizzle-kit's own diff of tables and policies, made safe for tables that
 *                        hold rows and split where it must be (`src/generate`): `<name>_indexes`
 *                        (concurrently, no transaction), `<name>_constraints`, `<name>_validate`
 *   3. `<name>_objects`  triggers, exclusion constraints, grants, comments (phase `post`)
 *
 * Each step writes a file only when something changed; the committed `database-objects.json`
 * records what the migrations have created, so a clean checkout generates nothing. Every
 * transactional file that locks an existing table starts with `set local lock_timeout`. What the
 * safety lint still flags in the new files (a dropped column, a changed type: nothing a generator
 * can make safe) is printed at the end.
 */
export interface GenerateOptions {
  readonly migrationsFolder: string;
  readonly objects: readonly DdlObject[];
  /** Migration name (drizzle-kit `--name`). */
  readonly name: string;
  readonly drizzleConfig: string;
  /** The modules drizzle-kit reads (every export of the schema and policies), to verify its work. */
  readonly imports: Record<string, unknown>;
  readonly log: Logger;
}

const drizzleKitBin = () => join(dirname(createRequire(import.meta.url).resolve('drizzle-kit')), 'bin.cjs');

/** `drizzle-kit generate --custom`: it exits 0 on some failures, so success is read from what it prints. */
function drizzleKitCustom(name: string, config: string): void {
  const out = execFileSync(process.execPath, [drizzleKitBin(), 'generate', '--custom', '--name', name, '--config', config], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (!/Prepared empty file/.test(out)) throw new Error(`drizzle-kit generate --custom failed:\n${out}`);
}

/**
 * `drizzle-kit generate` with the terminal attached, so its rename prompts reach the developer.
 * Whether it wrote everything is then checked, not read from its output (see `generate`).
 */
function drizzleKitGenerate(name: string, config: string): void {
  execFileSync(process.execPath, [drizzleKitBin(), 'generate', '--name', name, '--config', config], { stdio: 'inherit' });
}

/** Renders custom-migration SQL: the generated header, statements separated as drizzle-kit does. */
export function renderCustomMigration(phase: DdlPhase, statements: readonly string[], objects: readonly DdlObject[]): string {
  return renderMigration({ header: GENERATED_HEADER, noTransaction: false, statements: phaseStatements(phase, statements, objects) });
}

/** A new drizzle-kit custom migration (journal entry and snapshot) with `text`; returns its tag. */
function writeCustomMigration(options: GenerateOptions, name: string, text: string): string {
  drizzleKitCustom(name, options.drizzleConfig);
  const tag = readJournalTags(options.migrationsFolder)?.at(-1);
  if (!tag) throw new Error('drizzle-kit did not create a custom migration');
  writeFileSync(join(options.migrationsFolder, `${tag}.sql`), text);
  return tag;
}

/**
 * Rewrites drizzle-kit's migration `tag` into the safe parts (`safeMigrationParts`): the first
 * keeps drizzle-kit's file, the others become custom migrations after it.
 */
function makeSafe(options: GenerateOptions, tag: string): void {
  const file = join(options.migrationsFolder, `${tag}.sql`);
  const parts = safeMigrationParts(readFileSync(file, 'utf8'));
  const render = (part: (typeof parts)[number]): string => renderMigration({ ...part, header: [...GENERATED_HEADER, ...part.header] });
  const [first, ...rest] = parts;
  if (!first) return;
  writeFileSync(file, render(first));
  options.log(`wrote ${tag}.sql (${first.part}${first.noTransaction ? ', no transaction' : ''}): ${first.statements.length} statement(s)`);
  for (const part of rest) {
    const written = writeCustomMigration(options, `${options.name}_${part.part}`, render(part));
    options.log(`wrote ${written}.sql (${part.part}${part.noTransaction ? ', no transaction' : ''}): ${part.statements.length} statement(s)`);
  }
}

/** The safety lint of the files this run wrote; what it still finds is printed, not fixed. */
async function lintWritten(options: GenerateOptions, before: readonly string[]): Promise<void> {
  const outcome = await safetyCheck.run({
    migrations: readParsedMigrations(options.migrationsFolder),
    base: { label: 'the migrations before this run', frozen: 'written before', tags: before, hashes: new Map(), restore: () => '' },
  });
  for (const finding of 'findings' in outcome ? outcome.findings : []) {
    options.log(`warning: the safety lint (therapy-db check) will fail: ${finding.message}${finding.line ? ` (line ${finding.line})` : ''}`);
    if (finding.fix) options.log(`  fix: ${finding.fix}`);
  }
}

function emitPhase(options: GenerateOptions, snapshot: DdlSnapshot, phase: DdlPhase): DdlSnapshot {
  const diff = diffDdl(snapshot.objects, options.objects, phase);
  if (diff.changes.length === 0) return snapshot;
  if (diff.statements.length === 0) {
    // Only objects whose removal takes no statement (a one-off statement such as a backfill, which
    // has nothing to drop): the record forgets them, and no empty migration is written.
    const next = advanceSnapshot(snapshot, options.objects, phase);
    writeDdlSnapshot(options.migrationsFolder, next);
    options.log(`recorded without a migration: ${diff.changes.map((c) => `${c.action} ${c.key}`).join(', ')}`);
    return next;
  }
  const suffix = phase === 'pre' ? 'prelude' : 'objects';
  const changed = diff.changes.map((c) => c.key);
  const touched = options.objects.filter((o) => changed.includes(o.key));
  const tag = writeCustomMigration(options, `${options.name}_${suffix}`, renderCustomMigration(phase, diff.statements, touched));
  const next = advanceSnapshot(snapshot, options.objects, phase);
  writeDdlSnapshot(options.migrationsFolder, next);
  const counts = new Map<string, number>();
  for (const change of diff.changes) counts.set(change.action, (counts.get(change.action) ?? 0) + 1);
  options.log(`wrote ${tag}.sql: ${[...counts].map(([action, n]) => `${n} ${action}`).join(', ')}`);
  return next;
}

export async function generate(options: GenerateOptions): Promise<void> {
  mkdirSync(options.migrationsFolder, { recursive: true });
  const sqlFiles = () => readdirSync(options.migrationsFolder).filter((f) => f.endsWith('.sql')).length;
  const filesBefore = sqlFiles();
  const journal = () => readJournalTags(options.migrationsFolder) ?? [];
  const before = journal();
  let snapshot = readDdlSnapshot(options.migrationsFolder);
  snapshot = emitPhase(options, snapshot, 'pre');
  const beforeKit = journal();
  options.log('drizzle-kit generate (tables, indexes, constraints, policies)…');
  drizzleKitGenerate(options.name, options.drizzleConfig);
  // drizzle-kit exits 0 even when it did not write (a failed schema load, an aborted prompt):
  // prove the migrations now match the source.
  const left = await detectDrift({ migrationsFolder: options.migrationsFolder, imports: options.imports, objects: [] });
  if (left.drizzleStatements.length > 0) {
    throw new Error(`drizzle-kit did not generate everything; still missing:\n  ${left.drizzleStatements.slice(0, 5).join('\n  ')}`);
  }
  for (const tag of journal().slice(beforeKit.length)) makeSafe(options, tag);
  emitPhase(options, snapshot, 'post');
  const written = sqlFiles() - filesBefore;
  if (written > 0) await lintWritten(options, before);
  options.log(written === 0 ? 'nothing to generate: the migrations match the TypeScript source' : `${written} migration file(s) written`);
}
