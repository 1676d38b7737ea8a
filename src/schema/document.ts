import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import type { TableDocumentation } from '../ddl';
import type { SchemaArea } from './areas';
import { qualifiedName } from './catalog';

/** Where `npm run docs` writes the entity-relationship document, relative to the package root. */
export const SCHEMA_DOCUMENT_PATH = 'docs/schema.md';

/** Mermaid entity names cannot hold dots: `audit.audit_log` → `audit_audit_log`. */
const entity = (table: PgTable): string => {
  const config = getTableConfig(table);
  return config.schema && config.schema !== 'public' ? `${config.schema}_${config.name}` : config.name;
};

/** A Mermaid attribute type: one word (`timestamp with time zone` → `timestamptz`, `text[]` → `text_array`). */
const attributeType = (sqlType: string): string =>
  sqlType
    .replace('timestamp with time zone', 'timestamptz')
    .replace(/\[\]$/, '_array')
    .replace(/\(.*\)/, '')
    .replace(/\s+/g, '_');

/** Mermaid quotes attribute comments with `"`, which the text must not contain. */
const mermaidText = (text: string): string => text.replace(/"/g, "'");

interface Reference {
  readonly from: PgTable;
  readonly to: PgTable;
  readonly columns: readonly string[];
  /** Every column of the reference is NOT NULL: the child always has a parent. */
  readonly required: boolean;
  /** The reference's columns are the child's primary key: one child per parent at most. */
  readonly oneToOne: boolean;
}

function referencesOf(table: PgTable): Reference[] {
  const config = getTableConfig(table);
  const primaryKey = config.columns.filter((c) => c.primary).map((c) => c.name);
  for (const pk of config.primaryKeys) primaryKey.push(...pk.columns.map((c) => c.name));
  return config.foreignKeys.map((fk) => {
    const ref = fk.reference();
    const columns = ref.columns.map((c) => c.name);
    return {
      from: table,
      to: ref.foreignTable,
      columns,
      required: ref.columns.every((c) => c.notNull),
      oneToOne: primaryKey.length === columns.length && columns.every((c) => primaryKey.includes(c)),
    };
  });
}

function entityBlock(table: PgTable, documentation: TableDocumentation | undefined): string[] {
  const config = getTableConfig(table);
  const references = referencesOf(table);
  const foreign = new Set(references.flatMap((r) => r.columns));
  const unique = new Set(
    config.uniqueConstraints.filter((u) => u.columns.length === 1).map((u) => u.columns[0]!.name),
  );
  for (const column of config.columns) if (column.isUnique) unique.add(column.name);
  const primary = new Set(config.columns.filter((c) => c.primary).map((c) => c.name));
  for (const pk of config.primaryKeys) for (const c of pk.columns) primary.add(c.name);
  const lines = [`  ${entity(table)} {`];
  for (const column of config.columns) {
    const keys = [primary.has(column.name) ? 'PK' : '', foreign.has(column.name) ? 'FK' : '', unique.has(column.name) && !primary.has(column.name) ? 'UK' : '']
      .filter(Boolean)
      .join(', ');
    const doc = documentation?.columns.get(column.name);
    lines.push(`    ${attributeType(column.getSQLType())} ${column.name}${keys ? ` ${keys}` : ''}${doc ? ` "${mermaidText(doc)}"` : ''}`);
  }
  lines.push('  }');
  return lines;
}

/** `students }o--|| organizations : "organization_id"` — crow's feet from child to parent. */
function relationship(reference: Reference): string {
  const child = reference.oneToOne ? '|o' : '}o';
  const parent = reference.required ? '||' : 'o|';
  return `  ${entity(reference.from)} ${child}--${parent} ${entity(reference.to)} : "${reference.columns.join(', ')}"`;
}

/**
 * docs/schema.md: per domain area, an entity-relationship diagram (Mermaid, rendered by GitHub) of
 * its tables with their columns, keys and column comments, the tables of other areas they reference
 * (by name only), and each table's one-line comment. A pure function of the Drizzle tables and
 * their documentation, so a test regenerates it and compares it with the committed file.
 */
export function schemaDocument(areas: readonly SchemaArea[], documentation: readonly TableDocumentation[]): string {
  const docOf = new Map(documentation.map((d) => [d.table, d]));
  const tableCount = areas.reduce((n, a) => n + a.tables.length, 0);
  const out: string[] = [
    '# Schema: the tables by domain area',
    '',
    'Generated from the Drizzle tables (`src/schema`) and their documentation (`src/schema/docs.ts`, also',
    'migrated as `COMMENT ON`) by `npm run docs`; do not edit by hand. Who may read and write each table is',
    'in [access-matrix.md](access-matrix.md); the invariants the database enforces are in the table',
    'modules and `src/schema/rules`.',
    '',
    `${tableCount} tables in ${areas.length} areas. In the diagrams a line runs from a child to the parent its foreign`,
    'key references (`}o--||` many to one, required; `}o--o|` optional; `|o--||` one to one), labelled with',
    "the key's columns; a table of another area appears with its name only. Most references are",
    'composite with `organization_id`, so no row can point into another tenant.',
    '',
    ...areas.map((a, i) => `${i + 1}. [${a.title}](#${a.title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')})`),
    '',
  ];
  for (const area of areas) {
    const own = new Set(area.tables);
    const references = area.tables.flatMap(referencesOf);
    const others = [...new Set(references.map((r) => r.to).filter((t) => !own.has(t)))];
    out.push(`## ${area.title}`, '', area.summary, '', '| table | what it holds |', '|---|---|');
    for (const table of area.tables) out.push(`| \`${qualifiedName(table)}\` | ${docOf.get(table)?.summary ?? '(undocumented)'} |`);
    out.push('', '```mermaid', 'erDiagram');
    for (const table of area.tables) out.push(...entityBlock(table, docOf.get(table)));
    for (const table of others) out.push(`  ${entity(table)}`);
    const seen = new Set<string>();
    for (const reference of references) {
      const line = relationship(reference);
      if (!seen.has(line)) out.push(line);
      seen.add(line);
    }
    out.push('```', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
