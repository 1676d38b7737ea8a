import { formatName, parseSql, type ParsedStatement, type QualifiedName } from '../check';
import type { MigrationText } from './render';

/**
 * The parts drizzle-kit's migration is split into so that it is safe on tables that hold rows:
 *
 *   main         drizzle-kit's statements, in its order; foreign keys and checks on existing tables
 *                are added `NOT VALID` (new rows are checked at once, old ones by `validate`)
 *   indexes      `-- therapy-db: no-transaction`: indexes on existing tables, and the unique indexes
 *                of UNIQUE / PRIMARY KEY constraints on them, built `concurrently` (writes go on)
 *   constraints  UNIQUE / PRIMARY KEY constraints adopting those indexes (`using index`: no scan),
 *                then the foreign keys that reference them, `NOT VALID`
 *   validate     `validate constraint` for each constraint added `NOT VALID`, in a transaction of its
 *                own (it takes SHARE UPDATE EXCLUSIVE: reads and writes go on while it scans)
 *
 * An existing table is one the migration does not create: drizzle-kit creates exactly the tables
 * its previous snapshot lacks, so this is the table list of `meta/<previous>_snapshot.json`, and it
 * is what the safety lint calls existing. Transactional parts start with `set local lock_timeout`
 * when they lock an existing table (see `renderMigration`).
 */
export type SafePartName = 'main' | 'indexes' | 'constraints' | 'validate';

export interface SafePart extends MigrationText {
  readonly part: SafePartName;
}

const HEADERS: Readonly<Record<SafePartName, readonly string[]>> = {
  main: ["drizzle-kit's diff of the tables and policies, made safe for tables that hold rows: foreign keys", 'and checks on existing tables are added NOT VALID and validated by a later migration.'],
  indexes: [
    'Indexes on existing tables, built concurrently so writes go on (hence no transaction: the runner',
    'applies the statements one by one). Each is dropped first: a run that failed half-way leaves an',
    'invalid index behind, and the rerun rebuilds it.',
  ],
  constraints: ['UNIQUE and PRIMARY KEY constraints adopt the indexes the previous migration built (a brief lock,', 'no scan), then the foreign keys that reference them are added NOT VALID.'],
  validate: [
    'Constraints added NOT VALID by the previous migrations are checked against the existing rows, in a',
    'transaction of their own: validation takes SHARE UPDATE EXCLUSIVE, so reads and writes go on.',
  ],
};

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const qualified = (name: QualifiedName): string => `${quote(name.schema)}.${quote(name.name)}`;

/** The statement's text with `concurrently` after its `index` keyword. */
function concurrently(statement: ParsedStatement): string {
  const first = statement.tokens[0]!;
  const index = statement.tokens.find((t) => t.kind === 'word' && t.value === 'index')!;
  const at = index.end - first.start;
  return `${statement.text.slice(0, at)} CONCURRENTLY${statement.text.slice(at)}`;
}

/**
 * Splits the SQL drizzle-kit generated into the parts above (empty parts left out; the first part
 * keeps drizzle-kit's file). Deterministic: the same input gives the same parts.
 */
export function safeMigrationParts(sql: string): SafePart[] {
  const statements = parseSql(sql);
  const created = new Set<string>();
  const createdIndexes = new Set<string>();
  for (const s of statements) {
    if (s.what.kind === 'create-table') created.add(formatName(s.what.table));
    if (s.what.kind === 'create-index' && s.what.index) createdIndexes.add(formatName(s.what.index));
  }
  const existing = (table: QualifiedName): boolean => !created.has(formatName(table));

  /** Tables that get a UNIQUE / PRIMARY KEY constraint through the `constraints` part. */
  const deferredKeys = new Set<string>();
  for (const s of statements) {
    const action = s.what.kind === 'alter-table' && s.what.actions.length === 1 ? s.what.actions[0]! : undefined;
    if (s.what.kind === 'alter-table' && action?.kind === 'add-constraint' && action.constraint && (action.type === 'unique' || action.type === 'primary-key') && !action.usingIndex && existing(s.what.table)) {
      deferredKeys.add(formatName(s.what.table));
    }
  }

  const parts: Record<SafePartName, string[]> = { main: [], indexes: [], constraints: [], validate: [] };
  /** Foreign keys that need a key the `constraints` part adopts: they follow every adoption. */
  const keyed: string[] = [];
  for (const s of statements) {
    const what = s.what;
    if (what.kind === 'create-index' && !what.concurrently && what.index && existing(what.table)) {
      parts.indexes.push(`drop index concurrently if exists ${qualified(what.index)}`, concurrently(s));
      continue;
    }
    if (what.kind === 'drop-index' && !what.concurrently && what.indexes.every((i) => !createdIndexes.has(formatName(i)))) {
      // `drop index concurrently` takes one index at a time.
      parts.indexes.push(...what.indexes.map((i) => `drop index concurrently if exists ${qualified(i)}`));
      continue;
    }
    const action = what.kind === 'alter-table' && what.actions.length === 1 ? what.actions[0]! : undefined;
    if (what.kind === 'alter-table' && action?.kind === 'add-constraint' && action.constraint && !action.usingIndex) {
      const table = qualified(what.table);
      const name = quote(action.constraint);
      if ((action.type === 'unique' || action.type === 'primary-key') && existing(what.table) && action.columns.length > 0) {
        parts.indexes.push(
          `drop index concurrently if exists ${qualified({ schema: what.table.schema, name: action.constraint })}`,
          `create unique index concurrently ${name} on ${table} (${action.columns.join(', ')})${action.nullsNotDistinct ? ' nulls not distinct' : ''}`,
        );
        parts.constraints.push(`alter table ${table} add constraint ${name} ${action.type === 'unique' ? 'unique' : 'primary key'} using index ${name}`);
        continue;
      }
      const needsKey = action.type === 'foreign-key' && action.references !== undefined && deferredKeys.has(formatName(action.references.table));
      if ((action.type === 'foreign-key' || action.type === 'check') && !action.notValid && (existing(what.table) || needsKey)) {
        (needsKey ? keyed : parts.main).push(`${s.text} NOT VALID`);
        parts.validate.push(`alter table ${table} validate constraint ${name}`);
        continue;
      }
    }
    parts.main.push(s.text);
  }
  parts.constraints.push(...keyed);
  return (['main', 'indexes', 'constraints', 'validate'] as const)
    .filter((part) => parts[part].length > 0)
    .map((part) => ({ part, header: HEADERS[part], noTransaction: part === 'indexes', statements: parts[part] }));
}
