import { describe, expect, it } from 'vitest';
import { classifyStatement } from '../../src/check/sql/classify';
import { tokenize } from '../../src/check/sql/lexer';
import { parseStatements } from '../../src/check/sql/statements';

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
    expect(classify("comment on column t.c is 'drop column c'")).toEqual({ kind: 'other' });
  });
});
