import { describe, expect, it } from 'vitest';
import { classifyStatement } from '../../src/check/sql/classify';
import { parseStatements, tokenize } from '../../src/sql';

const classify = (sql: string) => classifyStatement(parseStatements(sql)[0]!.tokens);

describe('SQL lexer and statement splitter', () => {
  it('splits at ; and at drizzle-kit breakpoints, with each statement’s first line', () => {
    const sql = [
      '-- header comment; not a statement',
      'CREATE TABLE "a" (',
      '  "id" uuid PRIMARY KEY',
      ');--> statement-breakpoint',
      'ALTER TABLE "a" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint',
      '',
      'create index "a_idx" on "a" ("id")',
      '--> statement-breakpoint',
      "comment on table a is 'x'; select 1;",
    ].join('\n');
    const statements = parseStatements(sql);
    expect(statements.map((s) => [s.index, s.line, s.text.split('\n')[0]])).toEqual([
      [1, 2, 'CREATE TABLE "a" ('],
      [2, 5, 'ALTER TABLE "a" ENABLE ROW LEVEL SECURITY'],
      [3, 7, 'create index "a_idx" on "a" ("id")'],
      [4, 9, "comment on table a is 'x'"],
      [5, 9, 'select 1'],
    ]);
    expect(statements[0]!.comments.map((c) => c.value.trim())).toEqual(['header comment; not a statement']);
  });

  it('does not split inside strings, dollar-quoted bodies, quoted identifiers or comments', () => {
    const sql = [
      "insert into t values ('a;b', E'it\\'s;', 'it''s;');",
      'create function f() returns int language plpgsql as $body$ begin perform 1; return 2; end $body$;',
      'create table "we;ird" (x int); /* a; b /* nested; */ still comment; */ select $1;',
    ].join('\n');
    const statements = parseStatements(sql);
    expect(statements).toHaveLength(4);
    expect(statements[1]!.tokens.find((t) => t.kind === 'string')!.value).toBe(' begin perform 1; return 2; end ');
    expect(statements[2]!.tokens.find((t) => t.kind === 'quoted')!.value).toBe('we;ird');
    expect(statements[3]!.comments[0]!.value).toContain('nested');
  });

  it('does not split inside a begin atomic body (case … end included), and splits again after it', () => {
    const sql = [
      'create function f() returns int language sql begin atomic select 1; select case when true then 2 else 3 end; end;',
      'create procedure p() language sql begin atomic insert into t values (1); end;',
      'begin;',
      'commit;',
    ].join('\n');
    expect(parseStatements(sql).map((s) => [s.line, s.tokens[0]!.value, s.tokens.at(-1)!.value])).toEqual([
      [1, 'create', 'end'],
      [2, 'create', 'end'],
      [3, 'begin', 'begin'],
      [4, 'commit', 'commit'],
    ]);
  });

  it('reads string contents and folds unquoted identifiers', () => {
    const tokens = tokenize(`SELECT "MixedCase", Unquoted, 'it''s', E'a\\nb', $$x$$ -- trailing`);
    expect(tokens.map((t) => [t.kind, t.value])).toEqual([
      ['word', 'select'],
      ['quoted', 'MixedCase'],
      ['punct', ','],
      ['word', 'unquoted'],
      ['punct', ','],
      ['string', "it's"],
      ['punct', ','],
      ['string', 'anb'],
      ['punct', ','],
      ['string', 'x'],
      ['comment', ' trailing'],
    ]);
  });

  it('recognises the statements the checks need, with quoted and schema-qualified names', () => {
    expect(classify('CREATE TABLE "audit"."audit_log" ("id" bigint)')).toMatchObject({ kind: 'create-table', table: { schema: 'audit', name: 'audit_log' } });
    expect(classify('create unique index concurrently if not exists i on only public.t using btree (x)')).toMatchObject({
      kind: 'create-index',
      index: { schema: 'public', name: 'i' },
      table: { schema: 'public', name: 't' },
      concurrently: true,
    });
    expect(classify('ALTER TABLE "t" ADD COLUMN "c" integer NOT NULL, DROP COLUMN IF EXISTS "d", ALTER COLUMN "e" SET DATA TYPE text')).toMatchObject({
      kind: 'alter-table',
      actions: [
        { kind: 'add-column', column: 'c', notNull: true, hasDefault: false },
        { kind: 'drop-column', column: 'd' },
        { kind: 'alter-column-type', column: 'e' },
      ],
    });
    expect(classify('alter table t add column c uuid references p(id) on delete set default')).toMatchObject({
      actions: [{ kind: 'add-column', notNull: false, hasDefault: false }],
    });
    expect(classify('ALTER TABLE "t" ADD CONSTRAINT "t_p_fk" FOREIGN KEY ("p") REFERENCES "public"."p"("id") NOT VALID')).toMatchObject({
      actions: [{ kind: 'add-constraint', constraint: 't_p_fk', type: 'foreign-key', notValid: true }],
    });
    expect(classify('alter table t add check (x > 0)')).toMatchObject({ actions: [{ kind: 'add-constraint', type: 'check', notValid: false }] });
    expect(classify('ALTER TABLE "t" RENAME COLUMN "a" TO "b"')).toMatchObject({ actions: [{ kind: 'rename-column', column: 'a', to: 'b' }] });
    expect(classify('ALTER TABLE "t" RENAME TO "u"')).toMatchObject({ actions: [{ kind: 'rename-table', to: 'u' }] });
    expect(classify('CREATE POLICY "p" ON "t" AS PERMISSIVE FOR SELECT TO "authenticated", anon USING (true)')).toMatchObject({
      kind: 'create-policy',
      policy: 'p',
      command: 'select',
      roles: ['authenticated', 'anon'],
    });
    expect(classify('DROP POLICY IF EXISTS "p" ON "audit"."audit_log"')).toMatchObject({ kind: 'drop-policy', policy: 'p', table: { schema: 'audit', name: 'audit_log' } });
    expect(classify('drop table if exists a, b.c cascade')).toMatchObject({ kind: 'drop-table', tables: [{ name: 'a' }, { schema: 'b', name: 'c' }] });
    expect(classify('grant select, update on table public.t to authenticated')).toMatchObject({ kind: 'grant', tables: [{ name: 't' }] });
    expect(classify('grant usage on schema app to authenticated')).toEqual({ kind: 'other' });
    expect(classify("comment on column t.c is 'drop column c'")).toEqual({ kind: 'comment', table: { schema: 'public', name: 't' } });
  });

  it('reads what the generator rewrites and the lock analysis needs', () => {
    expect(classify('ALTER TABLE "t" ADD CONSTRAINT "t_a_b_key" UNIQUE NULLS NOT DISTINCT("a","b")')).toMatchObject({
      actions: [{ kind: 'add-constraint', type: 'unique', columns: ['"a"', '"b"'], nullsNotDistinct: true }],
    });
    expect(classify('ALTER TABLE "t" ADD CONSTRAINT "t_fk" FOREIGN KEY ("o","p") REFERENCES "audit"."p"("organization_id","id") ON DELETE cascade')).toMatchObject({
      actions: [{ type: 'foreign-key', references: { table: { schema: 'audit', name: 'p' }, columns: ['organization_id', 'id'] } }],
    });
    expect(classify("alter table t add column c timestamptz default now() not null")).toMatchObject({
      actions: [{ kind: 'add-column', hasDefault: true, notNull: true, defaultTokens: [{ value: 'now' }, { text: '(' }, { text: ')' }] }],
    });
    expect(classify('alter table t validate constraint c')).toMatchObject({ actions: [{ kind: 'validate-constraint', constraint: 'c' }] });
    expect(classify('alter table t drop constraint if exists c')).toMatchObject({ actions: [{ kind: 'drop-constraint', constraint: 'c' }] });
    expect(classify('alter table t disable row level security')).toMatchObject({ actions: [{ kind: 'row-level-security', setting: 'disable' }] });
    expect(classify('alter table t no force row level security')).toMatchObject({ actions: [{ kind: 'row-level-security', setting: 'no force' }] });
    expect(classify('drop index concurrently if exists public.i, j')).toEqual({ kind: 'drop-index', indexes: [{ schema: 'public', name: 'i' }, { schema: 'public', name: 'j' }], concurrently: true });
    expect(classify('create unique index i on t (x)')).toMatchObject({ kind: 'create-index', unique: true, concurrently: false });
    expect(classify('create constraint trigger x after insert on app.t deferrable for each row execute function f()')).toEqual({ kind: 'create-trigger', trigger: 'x', table: { schema: 'app', name: 't' } });
    expect(classify('drop trigger if exists x on t')).toEqual({ kind: 'drop-trigger', trigger: 'x', table: { schema: 'public', name: 't' } });
    expect(classify('alter policy p on t using (true)')).toEqual({ kind: 'alter-policy', policy: 'p', table: { schema: 'public', name: 't' } });
    expect(classify('truncate table a, b cascade')).toMatchObject({ kind: 'truncate', tables: [{ name: 'a' }, { name: 'b' }], cascade: true });
    expect(classify('delete from t')).toMatchObject({ kind: 'delete', where: false });
    expect(classify('delete from t where id in (select id from u where true)')).toMatchObject({ kind: 'delete', where: true });
    expect(classify('update only t set x = (select 1 where true)')).toMatchObject({ kind: 'update', table: { name: 't' }, where: false });
    expect(classify('do $$ begin perform 1; end $$')).toEqual({ kind: 'do-block' });
    expect(classify('cluster verbose t using i')).toEqual({ kind: 'cluster', table: { schema: 'public', name: 't' } });
    expect(classify('vacuum (full, analyze) t')).toMatchObject({ kind: 'vacuum', full: true, tables: [{ name: 't' }] });
    expect(classify('lock table t in share row exclusive mode')).toMatchObject({ kind: 'lock-table', mode: 'share row exclusive' });
    expect(classify('reindex table concurrently t')).toMatchObject({ kind: 'reindex', concurrently: true, table: { name: 't' } });
    expect(classify('refresh materialized view concurrently v')).toMatchObject({ kind: 'refresh-materialized-view', concurrently: true });
    expect(classify("set local lock_timeout = '5s'")).toEqual({ kind: 'set', name: 'lock_timeout', local: true, value: '5s' });
    expect(classify('SET lock_timeout TO 0')).toEqual({ kind: 'set', name: 'lock_timeout', local: false, value: '0' });
  });
});
