import { rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { releasedBaseline } from '../../src/check/baseline';
import { catalogueChecks } from '../../src/check/catalogue';
import { readBaseMigrations } from '../../src/check/git';
import { runChecks } from '../../src/check/run';
import { readReleaseManifest, releaseMigrations, sha256Hex } from '../../src/migrate';
import { integrityCheck } from '../../src/check/integrity';
import { CheckUsageError, runCheck } from '../../src/check/model';
import { gitRepo, sqlFile, tempDir, writeMigrations } from './support';

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
    expect(messages).toMatch(/0001_b was committed at main \(\w+\) and has been removed from the journal/);
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

describe('release manifest: released migrations are frozen without git', () => {
  function releasedFolder() {
    const { dir, remove } = tempDir('release');
    cleanups.push(remove);
    const folder = join(dir, 'drizzle');
    writeMigrations(folder, v1);
    releaseMigrations({ folder, version: '0.1.0' });
    return folder;
  }

  it('records every journal migration with its sha256 and release, and refuses to release the same version or nothing again', () => {
    const folder = releasedFolder();
    const manifest = readReleaseManifest(folder)!;
    expect(manifest.migrations).toEqual(v1.map((m) => ({ tag: m.tag, sha256: sha256Hex(m.sql), release: '0.1.0' })));
    expect(() => releaseMigrations({ folder, version: '0.1.0' })).toThrow(/not newer than the last release, 0.1.0/);
    expect(() => releaseMigrations({ folder, version: '0.2.0' })).toThrow(/nothing to release/);
    expect(() => releaseMigrations({ folder, version: 'next' })).toThrow(/not a semantic version/);
  });

  it('appends only the migrations added since, and refuses when a released file was edited', () => {
    const folder = releasedFolder();
    writeMigrations(folder, [...v1, { tag: '0002_c', sql: sqlFile('select 1') }]);
    const { added } = releaseMigrations({ folder, version: '0.2.0' });
    expect(added.map((m) => [m.tag, m.release])).toEqual([['0002_c', '0.2.0']]);
    expect(readReleaseManifest(folder)!.migrations.map((m) => m.release)).toEqual(['0.1.0', '0.1.0', '0.2.0']);
    writeFileSync(join(folder, '0000_init.sql'), 'select 2;\n');
    writeMigrations(folder, [{ tag: '0000_init', sql: 'select 2;\n' }, ...v1.slice(1), { tag: '0002_c', sql: sqlFile('select 1') }, { tag: '0003_d', sql: 'select 3;\n' }]);
    expect(() => releaseMigrations({ folder, version: '0.3.0' })).toThrow(/0000_init.sql was edited after release 0.1.0/);
  });

  it('fails integrity for an edited, removed or moved released migration, with no git at all', async () => {
    const folder = releasedFolder();
    const manifest = readReleaseManifest(folder)!;
    writeMigrations(folder, [...v1, { tag: '0002_c', sql: sqlFile('select 1') }]);
    const clean = await runCheck(integrityCheck, { migrationsFolder: folder, released: releasedBaseline(manifest) });
    expect(clean.status).toBe('passed');
    expect(clean.summary).toContain('2 released (releases.json, last release 0.1.0); 1 new');

    writeFileSync(join(folder, '0001_b.sql'), v1[1]!.sql.replace('"b"', '"bb"'));
    const edited = await runCheck(integrityCheck, { migrationsFolder: folder, released: releasedBaseline(manifest) });
    expect(edited.findings).toHaveLength(1);
    expect(edited.findings[0]).toMatchObject({ object: '0001_b', file: join(folder, '0001_b.sql') });
    expect(edited.findings[0]!.message).toMatch(/0001_b.sql was released .* and has been edited \(sha256 \w{12} → \w{12}\)/);
    expect(edited.findings[0]!.fix).toContain('as released in 0.1.0');

    writeMigrations(folder, [{ tag: '0002_c', sql: sqlFile('select 1') }, ...v1]);
    const moved = await runCheck(integrityCheck, { migrationsFolder: folder, released: releasedBaseline(manifest) });
    expect(moved.findings.map((f) => f.message).join('\n')).toContain('0000_init moved in the journal');
  });

  it('makes check lint every migration after the last release when no --base is given', async () => {
    const folder = releasedFolder();
    writeMigrations(folder, [...v1, { tag: '0002_drop', sql: sqlFile('DROP TABLE "a"') }]);
    const report = await runChecks({ migrationsFolder: folder, drift: false, skip: ['replay', ...catalogueChecks.map((c) => c.id)] });
    const safety = report.results.find((r) => r.id === 'safety')!;
    expect(safety.status).toBe('failed');
    expect(safety.summary).toContain('1 migration(s) added since release 0.1.0: 0002_drop');
    expect(safety.findings.map((f) => f.rule)).toEqual(['lock-timeout', 'drop-table']);
    expect(report.released).toEqual({ release: '0.1.0', migrations: 2 });
  });

  it('reports a malformed manifest as a usage error', async () => {
    const folder = releasedFolder();
    writeFileSync(join(folder, 'releases.json'), '{"format": 1, "migrations": [{"tag": "0000_init"}]}');
    await expect(runChecks({ migrationsFolder: folder, drift: false })).rejects.toThrow(/migrations\[0\] needs a tag, a 64-hex-digit sha256 and a release/);
  });
});
