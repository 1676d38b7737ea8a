import { rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readBaseMigrations } from '../../src/check/git';
import { integrityCheck } from '../../src/check/integrity';
import { CheckUsageError, runCheck } from '../../src/check/model';
import { gitRepo, sqlFile, writeMigrations } from './support';

const v1 = [
  { tag: '0000_init', sql: sqlFile('CREATE TABLE "a" ("id" uuid PRIMARY KEY)', 'ALTER TABLE "a" ENABLE ROW LEVEL SECURITY') },
  { tag: '0001_b', sql: sqlFile('CREATE TABLE "b" ("id" uuid PRIMARY KEY)', 'ALTER TABLE "b" ENABLE ROW LEVEL SECURITY') },
];

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function released() {
  const repo = gitRepo();
  cleanups.push(repo.remove);
  writeMigrations(repo.folder, v1);
  const v1Commit = repo.commit('v1');
  return { ...repo, v1Commit };
}

describe('integrity: committed migrations are never edited or removed', () => {
  it('passes when migrations were only added since the base', async () => {
    const repo = released();
    writeMigrations(repo.folder, [...v1, { tag: '0002_c', sql: sqlFile('CREATE TABLE "c" ("id" uuid PRIMARY KEY)') }]);
    const base = readBaseMigrations(repo.folder, 'main');
    expect(base).toMatchObject({ ref: 'main', commit: repo.v1Commit, folder: 'drizzle', tags: ['0000_init', '0001_b'] });
    const result = await runCheck(integrityCheck, { migrationsFolder: repo.folder, base });
    expect(result.status).toBe('passed');
    expect(result.summary).toContain('3 migrations: 2 committed at main');
    expect(result.summary).toContain('1 new');
  });

  it('fails on an edited migration, naming the file and the first changed line', async () => {
    const repo = released();
    const edited = v1[1]!.sql.replace('CREATE TABLE "b" ("id" uuid PRIMARY KEY)', 'CREATE TABLE "b" ("id" uuid PRIMARY KEY, "x" int)');
    const lines = edited.split('\n');
    writeFileSync(join(repo.folder, '0001_b.sql'), edited);
    const result = await runCheck(integrityCheck, { migrationsFolder: repo.folder, base: readBaseMigrations(repo.folder, 'main') });
    expect(result.status).toBe('failed');
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ object: '0001_b', file: join(repo.folder, '0001_b.sql'), line: 1 });
    expect(result.findings[0]!.message).toContain('0001_b.sql was committed at main');
    expect(result.findings[0]!.message).toContain('edited');
    expect(result.findings[0]!.fix).toContain('git checkout main -- drizzle/0001_b.sql');
    expect(lines.length).toBeGreaterThan(1);
  });

  it('fails on a removed migration and on a journal entry removed or moved', async () => {
    const repo = released();
    unlinkSync(join(repo.folder, '0001_b.sql'));
    writeMigrations(repo.folder, [{ tag: '0001_c', sql: sqlFile('select 1') }, v1[0]!]);
    const result = await runCheck(integrityCheck, { migrationsFolder: repo.folder, base: readBaseMigrations(repo.folder, 'main') });
    expect(result.status).toBe('failed');
    const messages = result.findings.map((f) => f.message).join('\n');
    expect(messages).toContain('0001_b.sql was committed at main');
    expect(messages).toContain('has been removed');
    expect(messages).toContain('0000_init moved in the journal');
    expect(messages).toMatch(/0001_b was in the journal at main \(\w+\) and has been removed from it/);
  });

  it('checks the journal against the files without a base', async () => {
    const repo = released();
    writeFileSync(join(repo.folder, '0009_stray.sql'), 'select 1;\n');
    rmSync(join(repo.folder, '0000_init.sql'));
    const result = await runCheck(integrityCheck, { migrationsFolder: repo.folder });
    expect(result.status).toBe('failed');
    expect(result.findings.map((f) => f.object).sort()).toEqual(['0000_init', '0009_stray']);
    expect(result.findings.find((f) => f.object === '0009_stray')!.message).toContain('not in the journal');
  });

  it('reads the base from git without touching the working tree, at an older commit too', async () => {
    const repo = released();
    writeMigrations(repo.folder, [...v1, { tag: '0002_c', sql: sqlFile('select 1') }]);
    repo.commit('v2');
    writeFileSync(join(repo.folder, '0002_c.sql'), 'select 2;\n');
    const atV1 = await runCheck(integrityCheck, { migrationsFolder: repo.folder, base: readBaseMigrations(repo.folder, repo.v1Commit) });
    expect(atV1.status).toBe('passed');
    const atHead = await runCheck(integrityCheck, { migrationsFolder: repo.folder, base: readBaseMigrations(repo.folder, 'HEAD') });
    expect(atHead.findings.map((f) => f.object)).toEqual(['0002_c']);
  });

  it('refuses an unknown base or a folder outside git as a usage error', () => {
    const repo = released();
    expect(() => readBaseMigrations(repo.folder, 'no-such-ref')).toThrow(CheckUsageError);
    expect(() => readBaseMigrations(repo.folder, 'no-such-ref')).toThrow(/not a commit/);
    expect(() => readBaseMigrations(repo.folder, '--output=/tmp/x')).toThrow(CheckUsageError);
  });

  it('treats a base where the folder did not exist yet as having no committed migrations', async () => {
    const repo = gitRepo();
    cleanups.push(repo.remove);
    writeFileSync(join(repo.dir, 'README'), 'x\n');
    repo.commit('empty');
    writeMigrations(repo.folder, v1);
    const base = readBaseMigrations(repo.folder, 'main');
    expect(base.tags).toEqual([]);
    expect(base.files.size).toBe(0);
    const result = await runCheck(integrityCheck, { migrationsFolder: repo.folder, base });
    expect(result.status).toBe('passed');
  });
});
