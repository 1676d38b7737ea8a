import { at } from '../locate';
import type { Check, Finding } from '../model';
import { notExtensionMember, projectSchema, type CatalogueContext } from './context';

interface Row {
  readonly schema: string;
  readonly table: string;
  readonly index: string;
  readonly definition: string;
  /** Set when the index backs a constraint (primary key, unique, exclusion), which cannot be dropped alone. */
  readonly constraint: string | null;
  readonly unique: boolean;
  readonly signature: string;
}

/**
 * No two indexes of a table are the same: same access method, key columns (and included
 * columns), operator classes, collations, orderings, expressions and predicate. A partial index
 * and a full one on the same columns are different indexes.
 */
export const duplicateIndexesCheck: Check<CatalogueContext> = {
  id: 'duplicate-indexes',
  title: 'no duplicate indexes',
  async run({ sql, platformSchemas, locate }) {
    const rows = await sql.unsafe<Row[]>(
      `select n.nspname as schema, c.relname as table, ic.relname as index,
              pg_catalog.pg_get_indexdef(i.indexrelid) as definition,
              (select k.conname from pg_catalog.pg_constraint k where k.conindid = i.indexrelid and k.conrelid = i.indrelid limit 1) as constraint,
              i.indisunique as unique,
              concat_ws(' | ', i.indrelid::text, am.amname, i.indkey::text, i.indnkeyatts::text, i.indclass::text, i.indcollation::text,
                        i.indoption::text, coalesce(pg_catalog.pg_get_expr(i.indexprs, i.indrelid), '-'),
                        coalesce(pg_catalog.pg_get_expr(i.indpred, i.indrelid), '-')) as signature
         from pg_catalog.pg_index i
         join pg_catalog.pg_class ic on ic.oid = i.indexrelid
         join pg_catalog.pg_am am on am.oid = ic.relam
         join pg_catalog.pg_class c on c.oid = i.indrelid
         join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where ${projectSchema('n')} and ${notExtensionMember('pg_class', 'c.oid')}
        order by 1, 2, 3`,
      [[...platformSchemas]],
    );
    const groups = new Map<string, Row[]>();
    for (const row of rows) groups.set(row.signature, [...(groups.get(row.signature) ?? []), row]);
    const findings: Finding[] = [];
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      // Keep one that backs a constraint or is unique; suggest dropping the others.
      const keep = group.find((r) => r.constraint !== null) ?? group.find((r) => r.unique) ?? group[0]!;
      for (const extra of group.filter((r) => r !== keep)) {
        const table = `${extra.schema}.${extra.table}`;
        findings.push({
          message: `index ${extra.schema}.${extra.index} on ${table} duplicates ${keep.constraint ? `the index of constraint ${keep.constraint}` : `index ${keep.index}`} (${extra.definition.replace(/^.* USING /, 'USING ')}): every write maintains both`,
          object: `${extra.schema}.${extra.index}`,
          ...at(locate(`index ${extra.schema}.${extra.index}`) ?? locate(`constraint ${table}.${extra.constraint ?? ''}`)),
          fix: extra.constraint
            ? `drop one of constraints ${extra.constraint} and ${keep.constraint ?? keep.index}`
            : `drop index ${extra.schema}.${extra.index} (remove it from the table's index list)`,
        });
      }
    }
    return { findings, checked: `${rows.length} indexes` };
  },
};
