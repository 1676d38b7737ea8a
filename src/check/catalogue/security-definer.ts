import { at } from '../locate';
import type { Check, Finding } from '../model';
import { notExtensionMember, projectSchema, type CatalogueContext } from './context';

/** The role of anonymous API clients, which must never run a SECURITY DEFINER function. */
export const ANONYMOUS_ROLE = 'anon';

interface Row {
  readonly schema: string;
  readonly name: string;
  readonly signature: string;
  readonly config: readonly string[] | null;
  readonly anon_executes: boolean;
}

/** SECURITY DEFINER functions pin their search_path and are not executable by `anon`. */
export const securityDefinerCheck: Check<CatalogueContext> = {
  id: 'security-definer',
  title: 'SECURITY DEFINER functions have a fixed search_path and are not executable by anon',
  async run({ sql, platformSchemas, locate }) {
    const rows = await sql.unsafe<Row[]>(
      `select n.nspname as schema, p.proname as name, pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)) as signature, p.proconfig as config,
              coalesce((select pg_catalog.has_function_privilege(r.oid, p.oid, 'EXECUTE') from pg_catalog.pg_roles r where r.rolname = $2), false)
                as anon_executes
         from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
        where p.prosecdef and ${projectSchema('n')} and ${notExtensionMember('pg_proc', 'p.oid')}
        order by 3`,
      [[...platformSchemas], ANONYMOUS_ROLE],
    );
    const findings: Finding[] = [];
    for (const row of rows) {
      const where = at(locate(`function ${row.schema}.${row.name}`));
      if (!(row.config ?? []).some((setting) => setting.startsWith('search_path='))) {
        findings.push({
          message: `SECURITY DEFINER function ${row.signature} has no fixed search_path: objects a caller creates can shadow the ones it uses, and run with its owner's rights`,
          object: row.signature,
          ...where,
          fix: `declare it with \`set search_path = ''\` and schema-qualified names (\`alter function ${row.signature} set search_path = ''\`)`,
        });
      }
      if (row.anon_executes) {
        findings.push({
          message: `SECURITY DEFINER function ${row.signature} is executable by ${ANONYMOUS_ROLE}: anonymous clients run it with its owner's rights`,
          object: row.signature,
          ...where,
          fix: `\`revoke execute on function ${row.signature} from public, ${ANONYMOUS_ROLE}\` and grant it only to the roles that need it`,
        });
      }
    }
    return { findings, checked: `${rows.length} SECURITY DEFINER functions` };
  },
};
