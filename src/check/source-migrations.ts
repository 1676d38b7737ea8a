import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffDdl, phaseStatements } from '../ddl';
import { STATEMENT_BREAKPOINT } from '../migrate';
import type { DriftSource } from './drift';

/**
 * Writes into `folder` (a drizzle-kit migrations folder of its own) the migrations the TypeScript
 * source alone generates from an empty snapshot: the `pre` objects, drizzle-kit's tables and
 * policies, the `post` objects. Replayed, they build the database the source declares, with no
 * history in between. Needs drizzle-kit (loaded on demand).
 */
export async function writeSourceMigrations(source: DriftSource, folder: string): Promise<readonly string[]> {
  const kit = await import('drizzle-kit/api');
  const tables = await kit.generateMigration(kit.generateDrizzleJson({}) as never, kit.generateDrizzleJson(source.imports));
  const migrations = [
    { tag: '0000_source_prelude', statements: phaseStatements('pre', diffDdl([], source.objects, 'pre').statements, source.objects) },
    { tag: '0001_source', statements: tables },
    { tag: '0002_source_objects', statements: diffDdl([], source.objects, 'post').statements },
  ].filter((m) => m.statements.length > 0);
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const entries = migrations.map((m, idx) => ({ idx, version: '7', when: idx, tag: m.tag, breakpoints: true }));
  writeFileSync(join(folder, 'meta', '_journal.json'), `${JSON.stringify({ version: '7', dialect: 'postgresql', entries }, null, 2)}\n`);
  for (const m of migrations) {
    writeFileSync(join(folder, `${m.tag}.sql`), `${m.statements.map((s) => `${s.trim().replace(/;$/, '')};`).join(`\n${STATEMENT_BREAKPOINT}\n`)}\n`);
  }
  return migrations.map((m) => m.tag);
}
