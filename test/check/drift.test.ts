import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pgTable, uuid } from 'drizzle-orm/pg-core';
import { afterAll, describe, expect, it } from 'vitest';
import { ddlObject } from '../../src/ddl';
import { driftCheck, packageDriftSource } from '../../src/check/drift';
import { runCheck } from '../../src/check/model';
import { defaultMigrationsFolder } from '../../src/paths';
import { tempDir } from './support';
import { embeddedPassOnly } from '../support/backend';

// drizzle-kit against the migrations folder: no database.
const embeddedOnly = embeddedPassOnly('check/drift.test.ts');

const copy = tempDir('drift');
afterAll(() => copy.remove());

/** A copy of the committed migrations, so the test does not depend on the working tree staying put. */
function migrationsCopy(): string {
  const folder = join(copy.dir, `drizzle-${Math.random().toString(36).slice(2)}`);
  cpSync(defaultMigrationsFolder(), folder, { recursive: true });
  return folder;
}

describe.skipIf(embeddedOnly)('drift: the TypeScript source against the committed migrations', () => {
  it('is skipped for the migrations as published (without drizzle-kit snapshots), where sql-drift compares the SQL', async () => {
    const folder = migrationsCopy();
    for (const file of readdirSync(join(folder, 'meta'))) if (file.endsWith('_snapshot.json')) rmSync(join(folder, 'meta', file));
    const result = await runCheck(driftCheck, { migrationsFolder: folder, source: packageDriftSource });
    expect(result.status).toBe('skipped');
    expect(result.summary).toContain('has no drizzle-kit snapshots (the published package ships without them)');
  });

  it('fails naming a table the migrations do not create', async () => {
    const checkExtra = pgTable('check_extra', { id: uuid('id').primaryKey() });
    const result = await runCheck(driftCheck, {
      migrationsFolder: migrationsCopy(),
      source: async () => {
        const source = await packageDriftSource();
        return { ...source, imports: { ...source.imports, checkExtra } };
      },
    });
    expect(result.status).toBe('failed');
    expect(result.findings.some((f) => f.message.includes('CREATE TABLE "check_extra"'))).toBe(true);
    expect(result.findings[0]!.fix).toContain('npm run db:generate');
  });

  it('fails naming a database object the migrations do not create', async () => {
    const extra = ddlObject({
      kind: 'statement',
      key: 'statement check_extra_comment',
      phase: 'post',
      create: ["comment on schema public is 'check'"],
      drop: ['comment on schema public is null'],
      onChange: 'replace',
    });
    const result = await runCheck(driftCheck, {
      migrationsFolder: migrationsCopy(),
      source: async () => {
        const source = await packageDriftSource();
        return { ...source, objects: [...source.objects, extra] };
      },
    });
    expect(result.findings.map((f) => f.object)).toContain('statement check_extra_comment');
    expect(result.findings.find((f) => f.object === 'statement check_extra_comment')!.message).toContain('generating would create statement check_extra_comment');
  });

  it('is skipped, not failed, where drizzle-kit is not installed', async () => {
    const result = await runCheck(driftCheck, {
      migrationsFolder: migrationsCopy(),
      source: packageDriftSource,
      detect: async () => {
        throw Object.assign(new Error("Cannot find package 'drizzle-kit' imported from /app/node_modules/therapy-db/dist/cli.js"), { code: 'ERR_MODULE_NOT_FOUND' });
      },
    });
    expect(result.status).toBe('skipped');
    expect(result.summary).toContain('drizzle-kit is not installed');
  });

  it('fails, asking for a generate in a terminal, when drizzle-kit would prompt about a rename', async () => {
    const result = await runCheck(driftCheck, {
      migrationsFolder: migrationsCopy(),
      source: packageDriftSource,
      detect: async () => {
        throw new Error('Interactive prompts require a TTY terminal (process.stdin.isTTY or process.stdout.isTTY is false).');
      },
    });
    expect(result.status).toBe('failed');
    expect(result.findings[0]!.message).toContain('renamed');
  });

  it('fails, with the error, when the detector breaks for another reason', async () => {
    const result = await runCheck(driftCheck, {
      migrationsFolder: migrationsCopy(),
      source: packageDriftSource,
      detect: async () => {
        throw new Error('snapshot is corrupt');
      },
    });
    expect(result.status).toBe('failed');
    expect(result.findings[0]!.message).toContain('snapshot is corrupt');
  });
});
