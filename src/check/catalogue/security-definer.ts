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
  /** The API roles (other than anon) that may execute it, when it is in an exposed schema. */
  readonly exposed_to: readonly string[];
}

/**
 * SECURITY DEFINER functions pin their search_path, are not executable by `anon`, and none in an
 * exposed schema is executable by an API role: the API would let every signed-in user call it with
 * its owner's rights (helpers policies call belong in a private schema such as `app`).
 */
export const securityDefinerCheck: Check<CatalogueContext> = {
  id: 'security-definer',
  title: 'SECURITY DEFINER functions have a fixed search_path, are not executable by anon, and none in an exposed schema by an API role',
  async run({ sql, platformSchemas, exposedSchemas, apiRoles, locate }) {
    const rows = await sql.unsafe<Row[]>(
      `select n.nspname as schema, p.proname as name, pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)) as signature, p.proconfig as config,
              coalesce((select pg_catalog.has_function_privilege(r.oid, p.oid, 'EXECUTE') from pg_catalog.pg_roles r where r.rolname = $2), false)
                as anon_executes,
              array(select r.rolname::text from pg_catalog.pg_roles r
                     where n.nspname = any($3::text[]) and r.rolname = any($4::text[]) and r.rolname <> $2
                       and pg_catalog.has_function_privilege(r.oid, p.oid, 'EXECUTE') order by 1) as exposed_to
         from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
        where p.prosecdef and ${projectSchema('n')} and ${notExtensionMember('pg_proc', 'p.oid')}
        order by 3`,
      [[...platformSchemas], ANONYMOUS_ROLE, [...exposedSchemas], [...apiRoles]],
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
      if (row.exposed_to.length > 0) {
        findings.push({
          message: `SECURITY DEFINER function ${row.signature} is in exposed schema ${row.schema} and executable by ${row.exposed_to.join(', ')}: every signed-in user can call it through the API with its owner's rights`,
          object: row.signature,
          ...where,
          fix: `move it to a private schema (e.g. \`app\`) or make it SECURITY INVOKER; otherwise \`revoke execute on function ${row.signature} from public, ${row.exposed_to.join(', ')}\``,
        });
      }
    }
    return { findings, checked: `${rows.length} SECURITY DEFINER functions` };
  },
};
