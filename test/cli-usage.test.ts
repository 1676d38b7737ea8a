import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths';
import { embeddedPassOnly } from './support/backend';

const embeddedOnly = embeddedPassOnly('cli-usage.test.ts');

/**
 * The CLI's exit codes (docs/ci.md): 0 success, 1 failure, 2 usage error. A usage error is refused
 * before anything connects: no DATABASE_URL is set here, and none is needed.
 */
const root = packageRoot();

function cli(args: readonly string[]): Promise<{ status: number | null; stderr: string }> {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), ...args], { cwd: root, env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (status) => resolve({ status, stderr }));
  });
}

const usageErrors: readonly (readonly [string, readonly string[], RegExp])[] = [
  ['check --base without a value', ['check', '--base'], /Option '--base <value>' argument missing/],
  ['a negative --interval', ['deliver', '--watch', '--interval', '-1'], /'--interval' argument is ambiguous/],
  ['--interval=-1', ['deliver', '--watch', '--interval=-1'], /--interval must be a number of seconds greater than 0/],
  ['a fractional --batch-size', ['deliver', '--once', '--batch-size', '0.5'], /--batch-size must be a whole number from 1 to 1000 \(got "0.5"\)/],
  ['a --batch-size above 1000', ['deliver', '--once', '--batch-size', '1001'], /--batch-size must be a whole number from 1 to 1000/],
  ['a --lease above an hour', ['deliver', '--watch', '--lease', '99999'], /--lease must be a whole number from 1 to 3600 \(got "99999"\)/],
  ['a --lease shorter than the request timeout plus the margin', ['deliver', '--watch', '--lease', '2'], /--lease 2 is shorter than the request timeout \(10 s\) plus 5 s.*Use --lease 15 or more/],
  ['a --timeout the default lease cannot cover', ['deliver', '--once', '--timeout', '200'], /--timeout 200 needs a longer lease than the default 120 s: add --lease 205 or more/],
  ['--timeout 0', ['deliver', '--once', '--timeout', '0'], /--timeout must be a number of seconds greater than 0/],
  ['an unknown --signature', ['deliver', '--once', '--signature', 'sha1'], /--signature must be one of both, standard-webhooks, therapy-db \(got "sha1"\)/],
  ['both --once and --watch', ['deliver', '--once', '--watch'], /exactly one of --once and --watch/],
  ['a value for a flag', ['deliver', '--once=yes'], /'--once' does not take an argument/],
  ['an unknown option', ['migrate', '--no-such-option'], /Unknown option '--no-such-option'/],
  ['an unknown command', ['migrtae'], /unknown command "migrtae"/],
  ['a stray argument', ['deliver', '--once', 'now'], /unexpected argument after deliver: now/],
];

describe.skipIf(embeddedOnly)('therapy-db usage errors exit 2 with the usage', () => {
  it.each(usageErrors)('%s', async (_name, args, message) => {
    const { status, stderr } = await cli(args);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('therapy-db <command> [options]');
    expect(status).toBe(2);
  });

  it('a good lease and timeout pass the usage checks (and only then is the database needed)', async () => {
    const { status, stderr } = await cli(['deliver', '--once', '--lease', '15', '--timeout', '10', '--url', 'postgres://nobody@127.0.0.1:1/none']);
    expect(stderr).not.toContain('therapy-db <command> [options]');
    expect(status).toBe(1);
  });
});
