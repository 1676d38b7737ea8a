import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogueChecks, CheckUsageError, runChecks, type CheckId } from '../../src/check';
import { sqlFile, tempDir, writeMigrations } from './support';

const tmp = tempDir('run');
afterAll(() => tmp.remove());

describe('runChecks options', () => {
  it('skips what it is told to (no database is opened when replay and the catalogue are skipped)', async () => {
    const folder = join(tmp.dir, 'skip');
    writeMigrations(folder, [{ tag: '0000_init', sql: sqlFile('this is not sql at all') }]);
    const skip: CheckId[] = ['replay', ...catalogueChecks.map((c) => c.id)];
    const report = await runChecks({ migrationsFolder: folder, drift: false, skip });
    expect(report.results.map((r) => [r.id, r.status, r.summary.split(':')[0]])).toEqual([
      ['drift', 'skipped', 'not requested (drift'],
      ['integrity', 'passed', 'journal and files of 1 migrations (nothing released, no --base'],
      ['replay', 'skipped', 'skipped by option'],
      ['sql-drift', 'skipped', 'not requested (drift'],
      ...catalogueChecks.map((c) => [c.id, 'skipped', 'skipped by option']),
      ['safety', 'skipped', 'nothing released (no releases.json) and no --base'],
      ['trace', 'skipped', 'not requested (--trace)'],
    ]);
    expect(report).toMatchObject({ ok: true, passed: 1, failed: 0, skipped: 5 + catalogueChecks.length });
  });

  it('refuses a folder that is not a drizzle-kit migrations folder', async () => {
    await expect(runChecks({ migrationsFolder: tmp.dir })).rejects.toBeInstanceOf(CheckUsageError);
  });
});
