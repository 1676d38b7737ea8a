import { at } from '../locate';
import type { Check } from '../model';
import type { CatalogueContext } from './context';

/** No extension is installed in `public` (or another exposed schema), where its objects join the API. */
export const extensionsNotInPublicCheck: Check<CatalogueContext> = {
  id: 'extensions-not-in-public',
  title: 'no extension in public',
  async run({ sql, exposedSchemas, locate }) {
    const schemas = [...new Set(['public', ...exposedSchemas])];
    const rows = await sql.unsafe<{ name: string; schema: string }[]>(
      `select e.extname as name, n.nspname as schema
         from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace
        where n.nspname = any($1::text[]) order by 1`,
      [schemas],
    );
    const findings = rows.map((r) => ({
      message: `extension ${r.name} is installed in schema ${r.schema}: its functions, types and tables become part of the API`,
      object: r.name,
      ...at(locate(`extension ${r.name}`)),
      fix: `install it with \`create extension ${r.name} with schema extensions\` (or \`alter extension ${r.name} set schema extensions\`)`,
    }));
    const total = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from pg_catalog.pg_extension`);
    return { findings, checked: `${total[0]?.n ?? 0} extensions` };
  },
};
