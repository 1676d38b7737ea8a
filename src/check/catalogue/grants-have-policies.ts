import { at } from '../locate';
import type { Check, Finding } from '../model';
import type { CatalogueContext } from './context';

interface Row {
  readonly schema: string;
  readonly name: string;
  readonly role: string;
  readonly privileges: readonly string[];
}

/**
 * Every operation granted to an API role on a table of an exposed schema is covered by a
 * permissive policy for that command (or ALL) that applies to the role (directly, through
 * membership or as PUBLIC). Otherwise the grant is dead (RLS denies every row) or, without RLS, wide open.
 */
export const grantsHavePoliciesCheck: Check<CatalogueContext> = {
  id: 'grants-have-policies',
  title: 'every operation granted to an API role has a policy',
  async run({ sql, exposedSchemas, apiRoles, locate }) {
    const rows = await sql.unsafe<Row[]>(
      `with roles as (select rolname from pg_catalog.pg_roles where rolname = any($2::text[])),
            ops(privilege, cmd, ord) as (values ('SELECT', 'r', 1), ('INSERT', 'a', 2), ('UPDATE', 'w', 3), ('DELETE', 'd', 4))
       select n.nspname as schema, c.relname as name, r.rolname as role, array_agg(o.privilege order by o.ord) as privileges
         from pg_catalog.pg_class c
         join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        cross join roles r
        cross join ops o
        where c.relkind in ('r', 'p') and n.nspname = any($1::text[])
          and case when o.privilege = 'DELETE' then pg_catalog.has_table_privilege(r.rolname, c.oid, o.privilege)
                   else pg_catalog.has_any_column_privilege(r.rolname, c.oid, o.privilege) end
          and not exists (
            select 1 from pg_catalog.pg_policy p
             where p.polrelid = c.oid and p.polpermissive and p.polcmd in (o.cmd, '*')
               and (0::oid = any (p.polroles)
                    or exists (select 1 from pg_catalog.pg_roles pr
                                where pr.oid = any (p.polroles) and pg_catalog.pg_has_role(r.rolname, pr.oid, 'MEMBER'))))
        group by 1, 2, 3
        order by 1, 2, 3`,
      [[...exposedSchemas], [...apiRoles]],
    );
    const findings: Finding[] = rows.map((r) => {
      const table = `${r.schema}.${r.name}`;
      const ops = r.privileges.join(', ');
      return {
        message: `${r.role} is granted ${ops} on ${table} but no permissive policy for ${r.privileges.length === 1 ? 'that command' : 'those commands'} (or ALL) applies to ${r.role}`,
        object: `${table} (${r.role}: ${ops})`,
        ...at(locate(`grant ${table}`) ?? locate(`table ${table}`)),
        fix: `add the policies (src/policies) or revoke what the role must not do: \`revoke ${ops.toLowerCase()} on ${table} from ${r.role}\``,
      };
    });
    const tables = await sql.unsafe<{ n: number }[]>(
      `select count(*)::int as n from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p') and n.nspname = any($1::text[])`,
      [[...exposedSchemas]],
    );
    return { findings, checked: `${tables[0]?.n ?? 0} tables in ${exposedSchemas.join(', ')} for ${apiRoles.join(', ')}` };
  },
};
