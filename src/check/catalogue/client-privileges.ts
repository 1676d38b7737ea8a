import { at } from '../locate';
import type { Check, Finding } from '../model';
import { notExtensionMember, projectSchema, type CatalogueContext } from './context';

/**
 * Table privileges no API role needs: row level security covers SELECT, INSERT, UPDATE and DELETE
 * only. TRUNCATE empties a table past every policy, REFERENCES lets a role add a foreign key that
 * probes for rows it cannot see, TRIGGER lets it attach code to the table.
 */
export const NON_RLS_TABLE_PRIVILEGES: readonly string[] = ['TRUNCATE', 'REFERENCES', 'TRIGGER'];

/** Sequence privileges (`nextval`, `currval`, `setval`). */
export const SEQUENCE_PRIVILEGES: readonly string[] = ['USAGE', 'SELECT', 'UPDATE'];

interface Row {
  readonly schema: string;
  readonly name: string;
  readonly kind: 'sequence' | 'table';
  readonly role: string;
  readonly privileges: readonly string[];
  /** The table a sequence belongs to (identity or serial column), `schema.table`. */
  readonly owner: string | null;
}

/**
 * No API role holds a privilege that no policy governs: any privilege on a sequence of the project
 * (Supabase's default privileges grant them on every new sequence in `public`: `setval` as `anon`
 * breaks the next insert), and TRUNCATE, REFERENCES or TRIGGER on a table of an exposed schema.
 */
export const clientPrivilegesCheck: Check<CatalogueContext> = {
  id: 'client-privileges',
  title: 'API roles hold no privilege on sequences, nor TRUNCATE, REFERENCES or TRIGGER on tables',
  async run({ sql, exposedSchemas, apiRoles, platformSchemas, locate }) {
    const rows = await sql.unsafe<Row[]>(
      `with roles as (select rolname from pg_catalog.pg_roles where rolname = any($2::text[]))
       select n.nspname as schema, c.relname as name, 'sequence' as kind, r.rolname as role,
              array(select p from unnest($4::text[]) p where pg_catalog.has_sequence_privilege(r.rolname, c.oid, p)) as privileges,
              (select tn.nspname || '.' || t.relname from pg_catalog.pg_depend d
                 join pg_catalog.pg_class t on t.oid = d.refobjid join pg_catalog.pg_namespace tn on tn.oid = t.relnamespace
                where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid
                  and d.refclassid = 'pg_catalog.pg_class'::regclass and d.deptype in ('a', 'i') limit 1) as owner
         from pg_catalog.pg_class c
         join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        cross join roles r
        where c.relkind = 'S' and ${projectSchema('n')} and ${notExtensionMember('pg_class', 'c.oid')}
       union all
       select n.nspname, c.relname, 'table', r.rolname,
              array(select p from unnest($5::text[]) p where pg_catalog.has_table_privilege(r.rolname, c.oid, p)), null
         from pg_catalog.pg_class c
         join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        cross join roles r
        where c.relkind in ('r', 'p') and n.nspname = any($3::text[]) and ${notExtensionMember('pg_class', 'c.oid')}
        order by 3, 1, 2, 4`,
      [[...platformSchemas], [...apiRoles], [...exposedSchemas], [...SEQUENCE_PRIVILEGES], [...NON_RLS_TABLE_PRIVILEGES]],
    );
    const findings: Finding[] = [];
    for (const row of rows) {
      if (row.privileges.length === 0) continue;
      const object = `${row.schema}.${row.name}`;
      const privileges = row.privileges.join(', ');
      findings.push(
        row.kind === 'sequence'
          ? {
              message: `${row.role} holds ${privileges} on sequence ${object}: an API client can read or move it (\`setval\`) past every policy`,
              object: `${object} (${row.role}: ${privileges})`,
              ...at(row.owner === null ? undefined : locate(`table ${row.owner}`)),
              fix: `\`revoke all on sequence ${object} from ${row.role}\` (identity columns need no privilege on their sequence)`,
            }
          : {
              message: `${row.role} holds ${privileges} on table ${object}: row level security does not govern ${row.privileges.length === 1 ? 'it' : 'them'} (TRUNCATE empties the table past every policy)`,
              object: `${object} (${row.role}: ${privileges})`,
              ...at(locate(`grant ${object}`) ?? locate(`table ${object}`)),
              fix: `\`revoke ${privileges.toLowerCase()} on ${object} from ${row.role}\` (grant API roles only the operations their policies cover)`,
            },
      );
    }
    const sequences = new Set(rows.filter((r) => r.kind === 'sequence').map((r) => `${r.schema}.${r.name}`)).size;
    const tables = new Set(rows.filter((r) => r.kind === 'table').map((r) => `${r.schema}.${r.name}`)).size;
    return { findings, checked: `${sequences} sequences and ${tables} tables in ${exposedSchemas.join(', ')} for ${apiRoles.join(', ')}` };
  },
};
