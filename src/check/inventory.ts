import type postgres from 'postgres';

/**
 * What a database is, object by object, as its catalogue says: the key names the object
 * (`column public.students.email`), the attributes are what a migration can change about it. Two
 * databases built by different routes (the migrations replayed, the TypeScript generated from
 * scratch) are the same when their inventories are equal. Rows, column order, OIDs and statistics
 * are not part of it.
 */
export type Inventory = ReadonlyMap<string, Readonly<Record<string, string>>>;

/** One kind of object: the query that lists them (`key` plus attribute columns, all text). */
interface Section {
  readonly kind: string;
  readonly query: string;
}

/** Schemas of the database's own (every one but the system's); objects of extensions are theirs. */
const OWN_SCHEMA = (alias: string) => `(${alias}.nspname not in ('pg_catalog', 'information_schema') and ${alias}.nspname not like 'pg\\_%')`;
const NOT_EXTENSION_MEMBER = (catalog: string, oid: string) =>
  `not exists (select 1 from pg_catalog.pg_depend d where d.classid = '${catalog}'::regclass and d.objid = ${oid} and d.deptype = 'e')`;
/** `public.t`, quoting as Postgres does. */
const QUALIFIED = (schema: string, name: string) => `pg_catalog.quote_ident(${schema}) || '.' || pg_catalog.quote_ident(${name})`;
const ROLE = (oid: string) => `case when ${oid} = 0 then 'public' else pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(${oid})) end`;
/** Privileges of an ACL, one row per grantee: `select, update*` (`*`: with grant option). */
const ACL = (acl: string) => `lateral (select ${ROLE('x.grantee')} as grantee,
    pg_catalog.string_agg(pg_catalog.lower(x.privilege_type) || case when x.is_grantable then '*' else '' end, ', ' order by x.privilege_type) as privileges
  from pg_catalog.aclexplode(${acl}) x group by x.grantee)`;

const SECTIONS: readonly Section[] = [
  {
    kind: 'schema',
    query: `select 'schema ' || pg_catalog.quote_ident(n.nspname) as key, pg_catalog.pg_get_userbyid(n.nspowner) as owner
      from pg_catalog.pg_namespace n where ${OWN_SCHEMA('n')} and ${NOT_EXTENSION_MEMBER('pg_namespace', 'n.oid')}`,
  },
  {
    kind: 'extension',
    query: `select 'extension ' || e.extname as key, n.nspname as schema, e.extversion as version
      from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace`,
  },
  {
    kind: 'table',
    query: `select case c.relkind when 'v' then 'view ' when 'm' then 'materialized view ' when 'S' then 'sequence ' else 'table ' end
        || ${QUALIFIED('n.nspname', 'c.relname')} as key,
      c.relkind::text as kind, pg_catalog.pg_get_userbyid(c.relowner) as owner, c.relpersistence::text as persistence,
      case when c.relrowsecurity then 'enabled' else 'disabled' end as "row level security",
      case when c.relforcerowsecurity then 'forced' else 'not forced' end as "force row level security",
      coalesce(pg_catalog.array_to_string(c.reloptions, ', '), '') as options,
      case when c.relkind in ('v', 'm') then pg_catalog.pg_get_viewdef(c.oid) else '' end as definition,
      case when c.relkind = 'p' then pg_catalog.pg_get_partkeydef(c.oid) else '' end as partitioning
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') and ${OWN_SCHEMA('n')} and ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}`,
  },
  {
    kind: 'column',
    query: `select 'column ' || ${QUALIFIED('n.nspname', 'c.relname')} || '.' || pg_catalog.quote_ident(a.attname) as key,
      pg_catalog.format_type(a.atttypid, a.atttypmod) as type,
      case when a.attnotnull then 'not null' else 'null' end as nullability,
      coalesce(case when a.attgenerated = '' then pg_catalog.pg_get_expr(d.adbin, d.adrelid) end, '') as default,
      coalesce(case when a.attgenerated <> '' then pg_catalog.pg_get_expr(d.adbin, d.adrelid) end, '') as generated,
      a.attidentity::text as identity,
      coalesce((select co.collname from pg_catalog.pg_collation co where co.oid = a.attcollation and a.attcollation <> t.typcollation), '') as collation
      from pg_catalog.pg_attribute a
      join pg_catalog.pg_class c on c.oid = a.attrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      join pg_catalog.pg_type t on t.oid = a.atttypid
      left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm', 'f')
        and ${OWN_SCHEMA('n')} and ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}`,
  },
  {
    kind: 'constraint',
    query: `select 'constraint ' || (pg_catalog.pg_identify_object('pg_catalog.pg_constraint'::regclass, k.oid, 0)).identity as key,
      pg_catalog.pg_get_constraintdef(k.oid) as definition,
      case when k.condeferrable then case when k.condeferred then 'deferrable initially deferred' else 'deferrable' end else 'not deferrable' end as deferrable,
      case when k.convalidated then 'valid' else 'not valid' end as validated
      from pg_catalog.pg_constraint k join pg_catalog.pg_namespace n on n.oid = k.connamespace
      where ${OWN_SCHEMA('n')} and ${NOT_EXTENSION_MEMBER('pg_constraint', 'k.oid')}`,
  },
  {
    kind: 'index',
    query: `select 'index ' || ${QUALIFIED('n.nspname', 'c.relname')} as key,
      pg_catalog.pg_get_indexdef(i.indexrelid) as definition,
      case when i.indisvalid then 'valid' else 'invalid' end as validity
      from pg_catalog.pg_index i join pg_catalog.pg_class c on c.oid = i.indexrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where ${OWN_SCHEMA('n')} and ${NOT_EXTENSION_MEMBER('pg_class', 'i.indrelid')}`,
  },
  {
    kind: 'policy',
    query: `select 'policy ' || pg_catalog.quote_ident(p.polname) || ' on ' || ${QUALIFIED('n.nspname', 'c.relname')} as key,
      case p.polcmd when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update' when 'd' then 'delete' else 'all' end as command,
      case when p.polpermissive then 'permissive' else 'restrictive' end as kind,
      (select pg_catalog.string_agg(${ROLE('r')}, ', ' order by ${ROLE('r')}) from pg_catalog.unnest(p.polroles) r) as roles,
      coalesce(pg_catalog.pg_get_expr(p.polqual, p.polrelid), '') as using,
      coalesce(pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), '') as "with check"
      from pg_catalog.pg_policy p join pg_catalog.pg_class c on c.oid = p.polrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where ${OWN_SCHEMA('n')}`,
  },
  {
    kind: 'function',
    query: `select 'function ' || ${QUALIFIED('n.nspname', 'p.proname')} || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' as key,
      pg_catalog.pg_get_userbyid(p.proowner) as owner,
      case when p.prokind = 'a' then 'aggregate' else pg_catalog.pg_get_functiondef(p.oid) end as definition
      from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
      where ${OWN_SCHEMA('n')} and ${NOT_EXTENSION_MEMBER('pg_proc', 'p.oid')}`,
  },
  {
    kind: 'trigger',
    query: `select 'trigger ' || pg_catalog.quote_ident(t.tgname) || ' on ' || ${QUALIFIED('n.nspname', 'c.relname')} as key,
      pg_catalog.pg_get_triggerdef(t.oid) as definition,
      case t.tgenabled when 'O' then 'enabled' when 'D' then 'disabled' when 'R' then 'replica' when 'A' then 'always' end as state
      from pg_catalog.pg_trigger t join pg_catalog.pg_class c on c.oid = t.tgrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where not t.tgisinternal and ${OWN_SCHEMA('n')} and ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}`,
  },
  {
    kind: 'type',
    query: `select 'type ' || ${QUALIFIED('n.nspname', 't.typname')} as key,
      case t.typtype when 'e' then 'enum' when 'd' then 'domain' when 'c' then 'composite' when 'r' then 'range' else t.typtype::text end as kind,
      case t.typtype
        when 'e' then (select pg_catalog.string_agg(pg_catalog.quote_literal(e.enumlabel), ', ' order by e.enumsortorder) from pg_catalog.pg_enum e where e.enumtypid = t.oid)
        when 'd' then pg_catalog.format_type(t.typbasetype, t.typtypmod) || case when t.typnotnull then ' not null' else '' end
        else '' end as definition
      from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
      where t.typtype in ('e', 'd', 'r') and ${OWN_SCHEMA('n')} and ${NOT_EXTENSION_MEMBER('pg_type', 't.oid')}`,
  },
  {
    kind: 'publication',
    query: `select 'publication ' || pg_catalog.quote_ident(p.pubname) as key,
      case when p.puballtables then 'all tables' else coalesce((select pg_catalog.string_agg(${QUALIFIED('pt.schemaname', 'pt.tablename')}, ', ' order by pt.schemaname, pt.tablename)
        from pg_catalog.pg_publication_tables pt where pt.pubname = p.pubname), '') end as tables,
      pg_catalog.concat_ws(', ', case when p.pubinsert then 'insert' end, case when p.pubupdate then 'update' end,
        case when p.pubdelete then 'delete' end, case when p.pubtruncate then 'truncate' end) as operations
      from pg_catalog.pg_publication p`,
  },
  {
    kind: 'comment',
    query: `select 'comment on ' || o.type || ' ' || o.identity as key, d.description as text
      from pg_catalog.pg_description d, pg_catalog.pg_identify_object(d.classoid, d.objoid, d.objsubid) o
      where d.objoid >= 16384 and (o.schema is null or o.schema not in ('pg_catalog', 'information_schema'))
        and not exists (select 1 from pg_catalog.pg_depend x where x.classid = d.classoid and x.objid = d.objoid and x.deptype = 'e')`,
  },
  {
    kind: 'grant',
    query: `select 'grant on ' || case c.relkind when 'S' then 'sequence ' else 'table ' end || ${QUALIFIED('n.nspname', 'c.relname')} || ' to ' || a.grantee as key, a.privileges
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace, ${ACL('c.relacl')} a
      where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') and ${OWN_SCHEMA('n')} and ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
    union all
    select 'grant on column ' || ${QUALIFIED('n.nspname', 'c.relname')} || '.' || pg_catalog.quote_ident(at.attname) || ' to ' || a.grantee, a.privileges
      from pg_catalog.pg_attribute at join pg_catalog.pg_class c on c.oid = at.attrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace, ${ACL('at.attacl')} a
      where at.attacl is not null and at.attnum > 0 and not at.attisdropped and ${OWN_SCHEMA('n')} and ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
    union all
    select 'grant on function ' || ${QUALIFIED('n.nspname', 'p.proname')} || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ') to ' || a.grantee, a.privileges
      from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace, ${ACL('p.proacl')} a
      where ${OWN_SCHEMA('n')} and ${NOT_EXTENSION_MEMBER('pg_proc', 'p.oid')}
    union all
    select 'grant on schema ' || pg_catalog.quote_ident(n.nspname) || ' to ' || a.grantee, a.privileges
      from pg_catalog.pg_namespace n, ${ACL('n.nspacl')} a
      where ${OWN_SCHEMA('n')} and ${NOT_EXTENSION_MEMBER('pg_namespace', 'n.oid')}
    union all
    select 'default privileges of ' || pg_catalog.pg_get_userbyid(da.defaclrole) || coalesce(' in schema ' || pg_catalog.quote_ident(n.nspname), '')
        || ' on ' || case da.defaclobjtype when 'r' then 'tables' when 'S' then 'sequences' when 'f' then 'functions' when 'T' then 'types' when 'n' then 'schemas' end
        || ' to ' || a.grantee, a.privileges
      from pg_catalog.pg_default_acl da left join pg_catalog.pg_namespace n on n.oid = da.defaclnamespace, ${ACL('da.defaclacl')} a`,
  },
];

/** The kinds of object an inventory lists, in the order a report names them. */
export const INVENTORY_KINDS: readonly string[] = SECTIONS.map((s) => s.kind);

/** One object two inventories disagree on: missing on one side, or attributes that differ. */
export interface InventoryDifference {
  readonly key: string;
  /** Its attributes on each side; undefined where it does not exist. */
  readonly left: Readonly<Record<string, string>> | undefined;
  readonly right: Readonly<Record<string, string>> | undefined;
  /** The attributes that differ (every one when a side is missing). */
  readonly attributes: readonly string[];
}

/** The objects on which two inventories differ, sorted by key. */
export function compareInventories(left: Inventory, right: Inventory): InventoryDifference[] {
  const keys = [...new Set([...left.keys(), ...right.keys()])].sort();
  const out: InventoryDifference[] = [];
  for (const key of keys) {
    const a = left.get(key);
    const b = right.get(key);
    const names = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])];
    const attributes = a && b ? names.filter((name) => a[name] !== b[name]) : names;
    if (!a || !b || attributes.length > 0) out.push({ key, left: a, right: b, attributes });
  }
  return out;
}

/** Reads the inventory of the database `sql` is connected to. */
export async function readInventory(sql: postgres.Sql): Promise<Inventory> {
  const inventory = new Map<string, Record<string, string>>();
  for (const section of SECTIONS) {
    const rows = await sql.unsafe<({ key: string } & Record<string, string | null>)[]>(section.query);
    for (const { key, ...attributes } of rows) {
      const clean: Record<string, string> = {};
      for (const [name, value] of Object.entries(attributes)) clean[name] = value ?? '';
      inventory.set(key, clean);
    }
  }
  return inventory;
}
