import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournalTags } from '../../src/migrate';
import { projectCopy, type ProjectCopy } from '../support/project-copy';

const declared = 'export const accessSetObjects: readonly DdlObject[] = [...definitions, accessSetsBackfill];';
const withOneOff = `const oneOff: DdlObject = statement({ key: 'statement app.one_off', phase: 'post', create: ['select 1 /* once */'], drop: [] });
export const accessSetObjects: readonly DdlObject[] = [...definitions, accessSetsBackfill, oneOff];`;

/**
 * A one-off statement (a backfill, a wait for the functions a migration replaces) runs once and has
 * nothing to drop. Removing it from the source writes no migration, but the record of the objects
 * forgets it, so the source and the migrations agree again.
 */
describe('db:generate after a one-off statement is removed from the source', () => {
  let copy: ProjectCopy;
  let before: string[];
  let output: string;

  beforeAll(() => {
    copy = projectCopy();
    copy.edit('src/policies/access-sets.ts', (text) => text.replace(declared, withOneOff));
    copy.generate('one_off');
    before = readJournalTags(copy.drizzle)!;
    copy.edit('src/policies/access-sets.ts', (text) => text.replace(withOneOff, declared));
    output = copy.generate('one_off_removed');
  }, 240_000);

  afterAll(() => copy?.remove());

  it('writes no migration, and says it recorded the removal', () => {
    expect(readJournalTags(copy.drizzle)).toEqual(before);
    expect(output).toContain('recorded without a migration: drop statement app.one_off');
  });

  it('leaves no drift between the source and the migrations (therapy-db check)', () => {
    const tsx = join(resolve(__dirname, '../..'), 'node_modules', '.bin', 'tsx');
    const run = spawnSync(tsx, ['src/cli/main.ts', 'check', '--json'], { cwd: copy.dir, encoding: 'utf8' });
    const report = JSON.parse(run.stdout) as { checks: { id: string; status: string; findings?: unknown[] }[] };
    expect(report.checks.find((c) => c.id === 'drift')).toMatchObject({ status: 'passed' });
  }, 120_000);
});
