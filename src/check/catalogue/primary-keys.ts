import { at } from '../locate';
import type { Check } from '../model';
import { notExtensionMember, projectSchema, type CatalogueContext } from './context';

/** Every table of the project has a primary key (partitions inherit their parent's). */
export const primaryKeysCheck: Check<CatalogueContext> = {
  id: 'primary-keys',
  title: 'every table has a primary key',
  async run({ sql, platformSchemas, locate }) {
    const rows = await sql.unsafe<{ schema: string; name: string; has_key: boolean }[]>(
      `select n.nspname as schema, c.relname as name,
              exists (select 1 from pg_catalog.pg_constraint k where k.conrelid = c.oid and k.contype = 'p') as has_key
         from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p') and not c.relispartition and ${projectSchema('n')} and ${notExtensionMember('pg_class', 'c.oid')}
        order by 1, 2`,
      [[...platformSchemas]],
    );
    const findings = rows
      .filter((r) => !r.has_key)
      .map((r) => ({
        message: `table ${r.schema}.${r.name} has no primary key: its rows cannot be addressed one by one (updates from the API, realtime, logical replication)`,
        object: `${r.schema}.${r.name}`,
        ...at(locate(`table ${r.schema}.${r.name}`)),
        fix: `give ${r.schema}.${r.name} a primary key (\`primaryKey()\` on its id column)`,
      }));
    return { findings, checked: `${rows.length} tables` };
  },
};
