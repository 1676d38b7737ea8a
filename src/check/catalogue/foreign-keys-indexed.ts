import { at } from '../locate';
import type { Check, Finding } from '../model';
import { isPunct, isWord, tokenize } from '../../sql';
import { notExtensionMember, projectSchema, type CatalogueContext } from './context';

interface ForeignKey {
  readonly schema: string;
  readonly table: string;
  readonly relid: number;
  readonly constraint: string;
  readonly columns: readonly number[];
  readonly column_names: readonly string[];
  readonly references: string;
}

interface IndexRow {
  readonly relid: number;
  readonly keys: readonly number[];
  readonly key_count: number;
  readonly predicate: string | null;
}

/**
 * A partial index still serves a foreign key when its predicate only excludes rows whose key is
 * NULL (`where fk is not null`): those rows reference nothing.
 */
export function predicateOnlyExcludesNulls(predicate: string, columns: readonly string[]): boolean {
  const tokens = tokenize(predicate).filter((t) => t.kind !== 'comment' && !isPunct(t, '(') && !isPunct(t, ')'));
  const parts: (typeof tokens)[] = [[]];
  for (const token of tokens) {
    if (isWord(token, 'and')) parts.push([]);
    else parts.at(-1)!.push(token);
  }
  return parts.every(
    (p) =>
      p.length === 4 &&
      (p[0]!.kind === 'word' || p[0]!.kind === 'quoted') &&
      columns.includes(p[0]!.value) &&
      isWord(p[1], 'is') &&
      isWord(p[2], 'not') &&
      isWord(p[3], 'null'),
  );
}

/** Every foreign key is led by an index: its columns, in any order, are the index's first key columns. */
export const foreignKeysIndexedCheck: Check<CatalogueContext> = {
  id: 'foreign-keys-indexed',
  title: 'every foreign key is led by an index',
  async run({ sql, platformSchemas, locate }) {
    const keys = await sql.unsafe<ForeignKey[]>(
      `select n.nspname as schema, c.relname as table, c.oid::int as relid, con.conname as constraint,
              con.conkey::int[] as columns,
              array(select a.attname::text from unnest(con.conkey) with ordinality k(attnum, ord)
                      join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum order by k.ord) as column_names,
              con.confrelid::regclass::text as references
         from pg_catalog.pg_constraint con
         join pg_catalog.pg_class c on c.oid = con.conrelid
         join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where con.contype = 'f' and ${projectSchema('n')} and ${notExtensionMember('pg_class', 'c.oid')}
        order by 1, 2, 4`,
      [[...platformSchemas]],
    );
    const indexes = await sql.unsafe<IndexRow[]>(
      `select i.indrelid::int as relid, string_to_array(i.indkey::text, ' ')::int[] as keys, i.indnkeyatts::int as key_count,
              pg_catalog.pg_get_expr(i.indpred, i.indrelid) as predicate
         from pg_catalog.pg_index i
        where i.indisvalid and i.indrelid = any($1::int[])`,
      [[...new Set(keys.map((k) => k.relid))]],
    );
    const findings: Finding[] = [];
    for (const key of keys) {
      const covered = indexes.some((index) => {
        if (index.relid !== key.relid) return false;
        const leading = index.keys.slice(0, Math.min(key.columns.length, index.key_count));
        if (leading.length !== key.columns.length || !key.columns.every((c) => leading.includes(c))) return false;
        return index.predicate === null || predicateOnlyExcludesNulls(index.predicate, key.column_names);
      });
      if (covered) continue;
      const table = `${key.schema}.${key.table}`;
      const cols = key.column_names.join(', ');
      findings.push({
        message: `foreign key ${key.constraint} on ${table} (${cols}) → ${key.references} has no index leading with (${cols}): each delete or key update in ${key.references} scans ${table}, and joins on it cannot use an index`,
        object: `${table}.${key.constraint}`,
        ...at(locate(`constraint ${table}.${key.constraint}`) ?? locate(`table ${table}`)),
        fix: `index (${cols}) on ${table} (in the table's index list: \`index().on(…)\`), or lead an existing index with these columns`,
      });
    }
    return { findings, checked: `${keys.length} foreign keys` };
  },
};
