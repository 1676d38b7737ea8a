import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths';

const root = packageRoot();

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.GITHUB_ACTIONS;
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'src', 'cli', 'main.ts'), 'check', ...args], {
    cwd: root,
    encoding: 'utf8',
    env,
    timeout: 300_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('therapy-db check (CLI)', () => {
  it('exits 2 on a usage error', { timeout: 60_000 }, () => {
    const unknownRef = cli('--base', 'no-such-ref-anywhere');
    expect(unknownRef.status).toBe(2);
    expect(unknownRef.stderr).toContain('--base no-such-ref-anywhere: not a commit');
    const unknownOption = cli('--no-such-option');
    expect(unknownOption.status).toBe(2);
  });

  // On PostgreSQL when the suite runs there (a scratch database on that server), else on PGlite.
  // The lock-duration rule is wall-clock: beside the other test files on a busy machine, a
  // migration of catalogue changes on the small seed can hold its lock past the 1 s default, so
  // this run only asks for the deterministic findings (rewrites, scans under a lock) with a wide
  // threshold; `.ci/run` runs `check --trace` alone with the default, and trace.test.ts covers the rule.
  it('passes every check on this repository, the trace too (JSON report, progress on stderr)', { timeout: 300_000 }, () => {
    const traceArgs = ['--trace', '--lock-threshold', '60000'];
    const run = process.env.DATABASE_URL ? cli('--json', ...traceArgs, '--url', process.env.DATABASE_URL) : cli('--json', ...traceArgs);
    expect(run.stdout, run.stderr).toMatch(/^\{/);
    const report = JSON.parse(run.stdout) as { ok: boolean; checks: { id: string; status: string; findings: { message: string }[] }[] };
    const problems = report.checks.filter((c) => c.status === 'failed').map((c) => `${c.id}: ${c.findings.map((f) => f.message).join('; ')}`);
    expect(problems).toEqual([]);
    expect(run.status).toBe(0);
    expect(report.ok).toBe(true);
    expect(Object.fromEntries(report.checks.map((c) => [c.id, c.status]))).toEqual({
      drift: 'passed',
      integrity: 'passed',
      replay: 'passed',
      'sql-drift': 'passed',
      'rls-enabled': 'passed',
      'grants-have-policies': 'passed',
      'client-privileges': 'passed',
      'auth-calls-wrapped': 'passed',
      'arms-have-roles': 'passed',
      'foreign-keys-indexed': 'passed',
      'tenant-foreign-keys': 'passed',
      'primary-keys': 'passed',
      'security-definer': 'passed',
      'duplicate-indexes': 'passed',
      'views-security-invoker': 'passed',
      'extensions-not-in-public': 'passed',
      safety: 'passed',
      trace: 'passed',
    });
    expect(run.stderr).toContain('replay: applied');
    // The trace saw the migrations after the release, applied to a seeded database.
    const trace = report.checks.find((c) => c.id === 'trace') as unknown as { summary: string; details: string[] };
    expect(trace.summary).toMatch(/migration\(s\) added since release 0\.1\.0 on .*, seeded at scale 0\.01/);
    expect(trace.details.length).toBeGreaterThan(0);
  });
});
