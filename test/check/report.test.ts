import { describe, expect, it } from 'vitest';
import { renderGithubAnnotations, renderJson, renderText, type CheckReport } from '../../src/check';

const cwd = '/repo';
const report: CheckReport = {
  migrationsFolder: '/repo/drizzle',
  base: { ref: 'origin/main', commit: '0123456789abcdef0123456789abcdef01234567' },
  passed: 1,
  failed: 1,
  skipped: 1,
  ok: false,
  results: [
    { id: 'integrity', title: 'no committed migration was edited or removed', status: 'passed', summary: '3 migrations', findings: [], durationMs: 3 },
    {
      id: 'safety',
      title: 'new migrations neither lock nor destroy production data',
      status: 'failed',
      summary: '1 problem',
      durationMs: 12,
      findings: [
        {
          rule: 'drop-column',
          message: '0003_x.sql: drops column public.students.notes, 100% gone',
          object: 'public.students.notes',
          file: '/repo/drizzle/0003_x.sql',
          line: 7,
          fix: 'release code first,\nthen drop: it',
        },
      ],
    },
    { id: 'drift', title: 'the TypeScript source and the committed migrations agree', status: 'skipped', summary: 'drizzle-kit is not installed', findings: [], durationMs: 0 },
  ],
};

describe('check report', () => {
  it('renders one line per check, the findings with file:line and fix, and ends with N passed, M failed', () => {
    const text = renderText(report, { cwd });
    expect(text).toContain('therapy-db check: drizzle against origin/main (0123456789ab)');
    expect(text).toContain('PASS integrity: no committed migration was edited or removed — 3 migrations');
    expect(text).toContain('FAIL safety: new migrations neither lock nor destroy production data — 1 problem');
    expect(text).toContain('  drizzle/0003_x.sql:7: 0003_x.sql: drops column public.students.notes, 100% gone\n    fix: release code first,');
    expect(text).toContain('SKIP drift: the TypeScript source and the committed migrations agree — skipped: drizzle-kit is not installed');
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 passed, 1 failed');
  });

  it('renders JSON with relative paths', () => {
    const json = JSON.parse(renderJson(report, { cwd })) as { ok: boolean; failed: number; checks: { id: string; findings: { file?: string; line?: number }[] }[] };
    expect(json.ok).toBe(false);
    expect(json.failed).toBe(1);
    expect(json.checks.map((c) => c.id)).toEqual(['integrity', 'safety', 'drift']);
    expect(json.checks[1]!.findings[0]).toMatchObject({ file: 'drizzle/0003_x.sql', line: 7 });
  });

  it('renders GitHub Actions annotations for the findings of failed checks, escaped', () => {
    expect(renderGithubAnnotations(report, { cwd })).toBe(
      '::error file=drizzle/0003_x.sql,line=7,title=therapy-db check%3A safety::0003_x.sql: drops column public.students.notes, 100%25 gone%0Afix: release code first,%0Athen drop: it\n',
    );
    expect(renderGithubAnnotations({ ...report, results: [report.results[0]!] }, { cwd })).toBe('');
  });
});
