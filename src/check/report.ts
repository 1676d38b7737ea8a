import { isAbsolute, relative, sep } from 'node:path';
import type { CheckReport } from './run';
import type { CheckResult, Finding } from './model';

export interface RenderOptions {
  /** Paths are shown relative to this directory (default: the process's). */
  readonly cwd?: string;
  /** Findings listed per failed check in the text report; the rest are counted (default 25). */
  readonly maxFindings?: number;
}

function displayPath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return (rel.startsWith('..') ? file : rel || '.').split(sep).join('/');
}

function where(finding: Finding, cwd: string): string | undefined {
  if (!finding.file) return undefined;
  const path = displayPath(finding.file, cwd);
  return finding.line === undefined ? path : `${path}:${finding.line}`;
}

const LABEL: Record<CheckResult['status'], string> = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP' };

function seconds(ms: number): string {
  return ms >= 100 ? ` (${(ms / 1000).toFixed(1)} s)` : '';
}

/** The human report: one line per check, the findings of failed ones, and `N passed, M failed` last. */
export function renderText(report: CheckReport, options: RenderOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const max = options.maxFindings ?? 25;
  const lines: string[] = [];
  const base = report.base
    ? ` against ${report.base.ref} (${report.base.commit.slice(0, 12)})`
    : report.released
      ? ` against release ${report.released.release}`
      : '';
  const folders = (report.migrationsFolders ?? [report.migrationsFolder]).map((folder) => displayPath(folder, cwd)).join(' + ');
  lines.push(`therapy-db check: ${folders}${base}`, '');
  for (const result of report.results) {
    const summary = result.status === 'skipped' ? `skipped: ${result.summary}` : result.summary;
    lines.push(`${LABEL[result.status]} ${result.id}: ${result.title} — ${summary}${seconds(result.durationMs)}`);
    for (const detail of result.details ?? []) lines.push(`  | ${detail}`);
    if (result.status !== 'failed') continue;
    for (const finding of result.findings.slice(0, max)) {
      const at = where(finding, cwd);
      lines.push(`  ${at ? `${at}: ` : ''}${finding.message}`);
      if (finding.fix) lines.push(`    fix: ${finding.fix}`);
    }
    if (result.findings.length > max) lines.push(`  … and ${result.findings.length - max} more (--json lists every one)`);
  }
  lines.push('');
  if (report.skipped > 0) {
    lines.push(`${report.skipped} skipped: ${report.results.filter((r) => r.status === 'skipped').map((r) => r.id).join(', ')}`);
  }
  lines.push(`${report.passed} passed, ${report.failed} failed`);
  return `${lines.join('\n')}\n`;
}

/** The machine report: the whole `CheckReport`, with paths relative to `cwd`. */
export function renderJson(report: CheckReport, options: RenderOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const json = {
    ok: report.ok,
    passed: report.passed,
    failed: report.failed,
    skipped: report.skipped,
    migrationsFolder: displayPath(report.migrationsFolder, cwd),
    ...(report.migrationsFolders ? { migrationsFolders: report.migrationsFolders.map((folder) => displayPath(folder, cwd)) } : {}),
    base: report.base ?? null,
    released: report.released ?? null,
    checks: report.results.map((r) => ({
      ...r,
      findings: r.findings.map((f) => ({ ...f, ...(f.file ? { file: displayPath(f.file, cwd) } : {}) })),
    })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions workflow commands: one `::error` per finding of a failed check, on the file and line when known. */
export function renderGithubAnnotations(report: CheckReport, options: RenderOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const lines: string[] = [];
  for (const result of report.results) {
    if (result.status !== 'failed') continue;
    for (const finding of result.findings) {
      const properties: string[] = [];
      // Only files take a file annotation (the drift check names the migrations folder).
      if (finding.file && /\.[a-z]+$/i.test(finding.file)) {
        properties.push(`file=${escapeProperty(displayPath(finding.file, cwd))}`);
        if (finding.line !== undefined) properties.push(`line=${finding.line}`);
      }
      properties.push(`title=${escapeProperty(`therapy-db check: ${result.id}`)}`);
      const message = finding.fix ? `${finding.message}\nfix: ${finding.fix}` : finding.message;
      lines.push(`::error ${properties.join(',')}::${escapeData(message)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
