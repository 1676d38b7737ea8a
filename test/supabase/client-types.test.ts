import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedPassOnly } from '../support/backend';

// tsc only: no database.
const embeddedOnly = embeddedPassOnly('supabase/client-types.test.ts');

/**
 * `createClient<Database>()` with the package's types, compiled by tsc: the queries of
 * client.typecheck.ts type-check with real row types, and each query marked NEGATIVE fails to compile
 * once its `@ts-expect-error` is taken away (so the types refuse it, rather than accepting anything).
 */

const here = resolve(__dirname);
const source = join(here, 'client.typecheck.ts');
const stripped = join(here, 'client.negative.tmp.ts');
afterAll(() => rmSync(stripped, { force: true }));

function compile(file: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(here, '..', '..', 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const program = ts.createProgram([file], { ...config.options, noEmit: true });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return `${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

describe.skipIf(embeddedOnly)('createClient<Database>() from therapy-db/supabase', () => {
  it('compiles typed queries, inserts, updates and RPCs', () => {
    expect(compile(source)).toEqual([]);
  }, 120_000);

  it('refuses every NEGATIVE query once its @ts-expect-error is removed', () => {
    const lines = readFileSync(source, 'utf8').split('\n');
    const negatives = lines.flatMap((line, i) => (line.includes('@ts-expect-error NEGATIVE') ? [i + 1] : []));
    expect(negatives.length).toBe(4);
    // blank the directive lines (keeping line numbers): the next line is the refused query
    writeFileSync(stripped, lines.map((line) => (line.includes('@ts-expect-error NEGATIVE') ? '' : line)).join('\n'));
    const errors = compile(stripped);
    expect(errors.map((e) => Number(e.split(':')[0])).sort((a, b) => a - b)).toEqual(negatives.map((n) => n + 1));
    expect(errors.join('\n')).toMatch(/"done"/);
  }, 120_000);
});
