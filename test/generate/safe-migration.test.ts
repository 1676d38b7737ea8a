import { describe, expect, it } from 'vitest';
import { renderMigration, safeMigrationParts } from '../../src/generate';

/** drizzle-kit's way of writing statements. */
const kit = (...statements: string[]) => statements.map((s) => `${s};`).join('--> statement-breakpoint\n');

describe('safeMigrationParts: drizzle-kit’s diff made safe for tables that hold rows', () => {
  it('leaves a migration that only creates tables as it is, in one part', () => {
    const sql = kit(
      'CREATE TABLE "goals" ("id" uuid PRIMARY KEY NOT NULL, "student_id" uuid NOT NULL)',
      'ALTER TABLE "goals" ENABLE ROW LEVEL SECURITY',
      'ALTER TABLE "goals" ADD CONSTRAINT "goals_id_check" CHECK ("goals"."id" is not null)',
      'CREATE INDEX "goals_student_id_idx" ON "goals" USING btree ("student_id")',
      'ALTER TABLE "goals" ADD CONSTRAINT "goals_student_id_fkey" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id")',
    );
    const parts = safeMigrationParts(sql);
    expect(parts.map((p) => p.part)).toEqual(['main']);
    expect(parts[0]!.statements).toHaveLength(5);
    expect(parts[0]!.statements.join('\n')).not.toMatch(/NOT VALID|CONCURRENTLY/);
    // The foreign key locks students, which holds rows: the file gets a lock_timeout.
    expect(renderMigration(parts[0]!)).toMatch(/^set local lock_timeout = '5s';$/m);
  });

  it('drops indexes of existing tables concurrently, and moves no index of a table it creates', () => {
    const parts = safeMigrationParts(kit('DROP INDEX "students_name_idx"', 'CREATE TABLE "x" ("id" int)', 'CREATE INDEX "x_id_idx" ON "x" ("id")', 'DROP INDEX "x_id_idx"'));
    expect(parts.map((p) => [p.part, p.noTransaction, p.statements])).toEqual([
      ['main', false, ['CREATE TABLE "x" ("id" int)', 'CREATE INDEX "x_id_idx" ON "x" ("id")', 'DROP INDEX "x_id_idx"']],
      ['indexes', true, ['drop index concurrently if exists "public"."students_name_idx"']],
    ]);
    expect(renderMigration(parts[0]!)).not.toContain('lock_timeout');
    expect(renderMigration(parts[1]!).split('\n')[0]).toBe('-- therapy-db: no-transaction');
  });

  it('adds a foreign key of a new table to a new unique key of an existing one after the key, NOT VALID', () => {
    const parts = safeMigrationParts(
      kit(
        'CREATE TABLE "notes" ("id" uuid, "organization_id" uuid, "student_id" uuid)',
        'ALTER TABLE "notes" ADD CONSTRAINT "notes_student_fkey" FOREIGN KEY ("organization_id","student_id") REFERENCES "public"."students"("organization_id","id")',
        'ALTER TABLE "students" ADD CONSTRAINT "students_organization_id_id_key" UNIQUE("organization_id","id")',
      ),
    );
    expect(Object.fromEntries(parts.map((p) => [p.part, p.statements]))).toEqual({
      main: ['CREATE TABLE "notes" ("id" uuid, "organization_id" uuid, "student_id" uuid)'],
      indexes: [
        'drop index concurrently if exists "public"."students_organization_id_id_key"',
        'create unique index concurrently "students_organization_id_id_key" on "public"."students" ("organization_id", "id")',
      ],
      constraints: [
        'alter table "public"."students" add constraint "students_organization_id_id_key" unique using index "students_organization_id_id_key"',
        'ALTER TABLE "notes" ADD CONSTRAINT "notes_student_fkey" FOREIGN KEY ("organization_id","student_id") REFERENCES "public"."students"("organization_id","id") NOT VALID',
      ],
      validate: ['alter table "public"."notes" validate constraint "notes_student_fkey"'],
    });
  });

  it('leaves what it cannot make safe to the lint: statements with several actions, changes of type, dropped columns', () => {
    const sql = kit(
      'ALTER TABLE "students" ADD COLUMN "a" int, ADD CONSTRAINT "students_a_check" CHECK (a > 0)',
      'ALTER TABLE "students" ALTER COLUMN "b" SET DATA TYPE bigint',
      'ALTER TABLE "students" DROP COLUMN "c"',
    );
    const parts = safeMigrationParts(sql);
    expect(parts.map((p) => p.part)).toEqual(['main']);
    expect(parts[0]!.statements.join('\n')).not.toContain('NOT VALID');
  });

  it('is deterministic', () => {
    const sql = kit('CREATE INDEX "a_idx" ON "students" ("a")', 'ALTER TABLE "students" ADD CONSTRAINT "c" CHECK (a > 0)');
    expect(safeMigrationParts(sql)).toEqual(safeMigrationParts(sql));
  });
});
