import type postgres from 'postgres';
import type { Logger } from '../log';
import { silentLogger } from '../log';

/**
 * A faithful stand-in for the parts of the Supabase platform the migrations and policies rely on,
 * for a plain PostgreSQL (a local server, CI, the embedded PGlite). It is NOT an app migration: a
 * real Supabase project never runs it. Every part is created only when missing and nothing that
 * already exists is altered, so running it against Supabase itself is a no-op.
 *
 * Signatures and bodies follow Supabase's own definitions (supabase/auth, supabase/storage,
 * supabase/realtime migrations): `auth.uid()` reads `request.jwt.claim.sub` or `request.jwt.claims`.
 */
export interface ShimPart {
  readonly name: string;
  /** A query returning one row `{ present: boolean }`. */
  readonly present: string;
  readonly create: string;
}

const role = (name: string, attributes: string): ShimPart => ({
  name: `role ${name}`,
  present: `select exists (select 1 from pg_catalog.pg_roles where rolname = '${name}') as present`,
  create: `create role ${name} ${attributes}`,
});

const fn = (signature: string, create: string): ShimPart => ({
  name: `function ${signature}`,
  present: `select pg_catalog.to_regprocedure('${signature}') is not null as present`,
  create,
});

const schemaExists = (name: string) =>
  `select exists (select 1 from pg_catalog.pg_namespace where nspname = '${name}') as present`;
const tableExists = (name: string) => `select pg_catalog.to_regclass('${name}') is not null as present`;

export const supabaseShimParts: readonly ShimPart[] = [
  role('anon', 'nologin noinherit'),
  role('authenticated', 'nologin noinherit'),
  role('service_role', 'nologin noinherit bypassrls'),
  role('authenticator', 'login noinherit'),
  {
    name: 'authenticator membership',
    present: `select pg_catalog.pg_has_role('authenticator', 'service_role', 'member') as present`,
    create: `grant anon, authenticated, service_role to authenticator`,
  },
  {
    name: 'schema extensions',
    present: schemaExists('extensions'),
    create: `create schema extensions;
grant usage on schema extensions to anon, authenticated, service_role;
alter default privileges in schema extensions grant all on tables to anon, authenticated, service_role;
alter default privileges in schema extensions grant all on functions to anon, authenticated, service_role;`,
  },
  {
    // Supabase grants every API role everything on new objects in public; the project's migrations
    // revoke down to least privilege, and the shim reproduces the defaults so those revokes are tested.
    name: 'default privileges in public',
    present: `select exists (select 1 from pg_catalog.pg_default_acl a join pg_catalog.pg_namespace n on n.oid = a.defaclnamespace
      where n.nspname = 'public' and a.defaclobjtype = 'r' and a.defaclacl::text like '%authenticated=%') as present`,
    create: `grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;`,
  },
  {
    name: 'schema auth',
    present: schemaExists('auth'),
    create: `create schema auth;
grant usage on schema auth to anon, authenticated, service_role;`,
  },
  {
    name: 'table auth.users',
    present: tableExists('auth.users'),
    create: `create table auth.users (
  instance_id uuid,
  id uuid primary key,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  recovery_token varchar(255),
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  phone text unique default null,
  phone_confirmed_at timestamptz,
  confirmed_at timestamptz generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
  banned_until timestamptz,
  deleted_at timestamptz,
  is_sso_user boolean not null default false,
  is_anonymous boolean not null default false
);
grant all on auth.users to service_role;`,
  },
  fn('auth.uid()', `create function auth.uid() returns uuid language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$`),
  fn('auth.role()', `create function auth.role() returns text language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$`),
  fn('auth.email()', `create function auth.email() returns text language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$`),
  fn('auth.jwt()', `create function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$`),
  {
    name: 'schema storage',
    present: schemaExists('storage'),
    create: `create schema storage;
grant usage on schema storage to anon, authenticated, service_role;`,
  },
  {
    name: 'table storage.buckets',
    present: tableExists('storage.buckets'),
    create: `create table storage.buckets (
  id text primary key,
  name text not null unique,
  owner uuid,
  owner_id text,
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);
alter table storage.buckets enable row level security;
-- Current Supabase Storage grants API roles row-level CRUD only, no TRUNCATE, REFERENCES or TRIGGER
-- (supabase/storage migration "revoke grants to unused table operations", PR #1395).
grant select, insert, update, delete on storage.buckets to anon, authenticated;
grant all on storage.buckets to service_role;`,
  },
  {
    name: 'table storage.objects',
    present: tableExists('storage.objects'),
    create: `create table storage.objects (
  id uuid primary key default gen_random_uuid(),
  bucket_id text references storage.buckets (id),
  name text,
  owner uuid,
  owner_id text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  metadata jsonb,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  version text,
  user_metadata jsonb,
  constraint bucketid_objname unique (bucket_id, name)
);
alter table storage.objects enable row level security;
-- As storage.buckets: row-level CRUD for API roles (TRUNCATE would empty every bucket past RLS).
grant select, insert, update, delete on storage.objects to anon, authenticated;
grant all on storage.objects to service_role;`,
  },
  fn('storage.foldername(text)', `create function storage.foldername(name text) returns text[] language plpgsql as $$
declare _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[1:array_length(_parts, 1) - 1];
end
$$`),
  fn('storage.filename(text)', `create function storage.filename(name text) returns text language plpgsql as $$
declare _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[array_length(_parts, 1)];
end
$$`),
  fn('storage.extension(text)', `create function storage.extension(name text) returns text language plpgsql as $$
declare _parts text[]; _filename text;
begin
  select string_to_array(name, '/') into _parts;
  select _parts[array_length(_parts, 1)] into _filename;
  return reverse(split_part(reverse(_filename), '.', 1));
end
$$`),
  {
    name: 'schema realtime',
    present: schemaExists('realtime'),
    create: `create schema realtime;
grant usage on schema realtime to anon, authenticated, service_role;`,
  },
  {
    name: 'table realtime.messages',
    present: tableExists('realtime.messages'),
    create: `create table realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp not null default now(),
  inserted_at timestamp not null default now(),
  id uuid not null default gen_random_uuid(),
  primary key (id, inserted_at)
);
alter table realtime.messages enable row level security;
grant select, insert, update on realtime.messages to anon, authenticated;
grant all on realtime.messages to service_role;`,
  },
  fn('realtime.topic()', `create function realtime.topic() returns text language sql stable as $$
  select nullif(current_setting('realtime.topic', true), '')::text
$$`),
  fn('realtime.send(jsonb,text,text,boolean)', `create function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void language plpgsql as $$
begin
  begin
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (payload, event, topic, private, extension)
    values (payload, event, topic, private, 'broadcast');
  exception when others then
    raise warning 'ErrorSendingBroadcastMessage: %', sqlerrm;
  end;
end
$$`),
  {
    name: 'publication supabase_realtime',
    present: `select exists (select 1 from pg_catalog.pg_publication where pubname = 'supabase_realtime') as present`,
    create: `create publication supabase_realtime`,
  },
  // Supabase Vault (the supabase_vault extension, 0.3): the table, its unique name, the decrypted
  // view and create/update functions, with the same signatures and no privilege for API roles. The
  // shim cannot encrypt (no libsodium in a plain PostgreSQL): `secret` holds the value base64
  // encoded, never encrypted — a stand-in for tests and the demo, never for real secrets.
  {
    name: 'schema vault',
    present: schemaExists('vault'),
    create: `create schema vault;
revoke all on schema vault from public;`,
  },
  {
    name: 'table vault.secrets',
    present: tableExists('vault.secrets'),
    create: `create table vault.secrets (
  id uuid primary key default gen_random_uuid(),
  name text,
  description text not null default '',
  secret text not null,
  key_id uuid,
  nonce bytea,
  created_at timestamptz not null default current_timestamp,
  updated_at timestamptz not null default current_timestamp
);
create unique index secrets_name_idx on vault.secrets using btree (name) where name is not null;
revoke all on vault.secrets from public, anon, authenticated, service_role;
create view vault.decrypted_secrets as
select s.id, s.name, s.description, s.secret, convert_from(decode(s.secret, 'base64'), 'utf8') as decrypted_secret,
       s.key_id, s.nonce, s.created_at, s.updated_at
  from vault.secrets s;
revoke all on vault.decrypted_secrets from public, anon, authenticated, service_role;`,
  },
  fn('vault.create_secret(text,text,text,uuid)', `create function vault.create_secret(new_secret text, new_name text = null, new_description text = '', new_key_id uuid = null)
returns uuid language plpgsql set search_path = '' as $$
declare
  v_id uuid;
begin
  insert into vault.secrets (secret, name, description)
  values (pg_catalog.encode(pg_catalog.convert_to(new_secret, 'utf8'), 'base64'), new_name, new_description)
  returning id into v_id;
  return v_id;
end
$$;
revoke all on function vault.create_secret(text, text, text, uuid) from public, anon, authenticated, service_role`),
  fn('vault.update_secret(uuid,text,text,text,uuid)', `create function vault.update_secret(secret_id uuid, new_secret text = null, new_name text = null, new_description text = null, new_key_id uuid = null)
returns void language plpgsql set search_path = '' as $$
begin
  update vault.secrets s
     set secret = case when new_secret is null then s.secret else pg_catalog.encode(pg_catalog.convert_to(new_secret, 'utf8'), 'base64') end,
         name = coalesce(new_name, s.name),
         description = coalesce(new_description, s.description),
         updated_at = now()
   where s.id = secret_id;
end
$$;
revoke all on function vault.update_secret(uuid, text, text, text, uuid) from public, anon, authenticated, service_role`),
];

export interface ShimResult {
  /** The parts that were missing and have been created, in order. */
  readonly created: readonly string[];
}

/** True when the database already has Supabase's `auth` schema (a real project, or a shimmed one). */
export async function hasSupabasePlatform(sql: postgres.Sql): Promise<boolean> {
  const [row] = await sql.unsafe<{ present: boolean }[]>(schemaExists('auth'));
  return row?.present === true;
}

/**
 * Creates whatever of the Supabase platform is missing, in one transaction. Idempotent: a second
 * run creates nothing. Concurrent runs (parallel test databases on one server share its roles)
 * are serialised by an advisory lock.
 */
export async function applySupabaseShim(sql: postgres.Sql, log: Logger = silentLogger): Promise<ShimResult> {
  const created: string[] = [];
  await sql.begin(async (tx) => {
    await tx.unsafe(`select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('therapy-db:supabase-shim'))`);
    for (const part of supabaseShimParts) {
      const [row] = await tx.unsafe<{ present: boolean }[]>(part.present);
      if (row?.present) continue;
      try {
        await tx.savepoint((sp) => sp.unsafe(part.create));
      } catch (error) {
        // Roles are shared by every database of a server: another database's shim may have created
        // this one after our check. Anything else is a real failure.
        if ((error as { code?: string }).code === '42710' && part.name.startsWith('role ')) continue;
        throw new Error(`supabase shim: creating ${part.name} failed: ${(error as Error).message}`, { cause: error });
      }
      created.push(part.name);
    }
  });
  if (created.length > 0) log(`supabase shim: created ${created.join(', ')}`);
  return { created };
}
