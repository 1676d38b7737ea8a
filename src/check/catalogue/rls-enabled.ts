import { at } from '../locate';
import type { Check } from '../model';
import { notExtensionMember, type CatalogueContext } from './context';

/** Every table in an exposed schema has row level security enabled. */
export const rlsEnabledCheck: Check<CatalogueContext> = {
  id: 'rls-enabled',
  title: 'every table in an exposed schema has row level security',
  async run({ sql, exposedSchemas, locate }) {
    const rows = await sql.unsafe<{ schema: string; name: string; rls: boolean }[]>(
      `select n.nspname as schema, c.relname as name, c.relrowsecurity as rls
         from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p') and n.nspname = any($1::text[]) and ${notExtensionMember('pg_class', 'c.oid')}
        order by 1, 2`,
      [[...exposedSchemas]],
    );
    const findings = rows
      .filter((r) => !r.rls)
      .map((r) => ({
        message: `table ${r.schema}.${r.name} is in exposed schema ${r.schema} without row level security: every role granted access reads and writes every row`,
        object: `${r.schema}.${r.name}`,
        ...at(locate(`table ${r.schema}.${r.name}`)),
        fix: `enable it (\`alter table ${r.schema}.${r.name} enable row level security\`; in the schema, give the table its policies) or move the table out of ${r.schema}`,
      }));
    return { findings, checked: `${rows.length} tables in ${exposedSchemas.join(', ')}` };
  },
};
