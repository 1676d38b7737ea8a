import { at } from '../locate';
import type { Check, Finding } from '../model';
import type { CatalogueContext } from './context';

interface Row {
  readonly schema: string;
  readonly name: string;
  readonly kind: string;
  readonly options: readonly string[] | null;
  readonly api_readable: boolean;
}

const TRUE = new Set(['true', 'on', 'yes', '1']);

/**
 * Views in an exposed schema run with the caller's rights (`security_invoker`), so the tables'
 * RLS applies to the caller; a materialized view there (no RLS possible) is not readable by API roles.
 */
export const viewsSecurityInvokerCheck: Check<CatalogueContext> = {
  id: 'views-security-invoker',
  title: 'views in exposed schemas use security_invoker',
  async run({ sql, exposedSchemas, apiRoles, locate }) {
    const rows = await sql.unsafe<Row[]>(
      `select n.nspname as schema, c.relname as name, c.relkind::text as kind, c.reloptions as options,
              exists (select 1 from pg_catalog.pg_roles r where r.rolname = any($2::text[])
                       and pg_catalog.has_table_privilege(r.oid, c.oid, 'SELECT')) as api_readable
         from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('v', 'm') and n.nspname = any($1::text[])
        order by 1, 2`,
      [[...exposedSchemas], [...apiRoles]],
    );
    const findings: Finding[] = [];
    for (const row of rows) {
      const view = `${row.schema}.${row.name}`;
      if (row.kind === 'v') {
        const invoker = (row.options ?? []).some((o) => {
          const [key, value] = o.split('=');
          return key === 'security_invoker' && TRUE.has((value ?? '').toLowerCase());
        });
        if (!invoker) {
          findings.push({
            message: `view ${view} runs with its owner's rights (no security_invoker): it bypasses the row level security of the tables it reads`,
            object: view,
            ...at(locate(`view ${view}`)),
            fix: `\`alter view ${view} set (security_invoker = true)\` (Drizzle: \`pgView(…).with({ securityInvoker: true })\`)`,
          });
        }
      } else if (row.api_readable) {
        findings.push({
          message: `materialized view ${view} is readable by API roles: a materialized view has no row level security`,
          object: view,
          ...at(locate(`view ${view}`)),
          fix: `move it out of ${row.schema}, or \`revoke select on ${view} from ${apiRoles.join(', ')}\``,
        });
      }
    }
    return { findings, checked: `${rows.length} views in ${exposedSchemas.join(', ')}` };
  },
};
