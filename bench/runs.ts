#!/usr/bin/env node
/**
 * `npm run bench:runs -- DIR…`: several runs of `npm run bench` (each `results.json`, or a directory
 * holding one) summarised per statement mode and hot path as ranges over the runs: RLS p50,
 * explicit p50, ratio p50, RLS − explicit, and in how many runs each target held. A target is
 * claimed in docs/benchmarks.md only when it held in every run.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchReport } from './report';

function load(path: string): BenchReport {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'results.json') : path;
  return JSON.parse(readFileSync(file, 'utf8')) as BenchReport;
}

const range = (values: readonly number[], digits = 2) => {
  const lo = Math.min(...values).toFixed(digits);
  const hi = Math.max(...values).toFixed(digits);
  return lo === hi ? lo : `${lo}${lo.startsWith('-') || hi.startsWith('-') ? ' to ' : '–'}${hi}`;
};

export function summarizeRuns(reports: readonly BenchReport[]): string {
  const first = reports[0]!;
  const { maxRatio, maxP50Ms } = first.run.targets;
  const lines: string[] = [];
  const loads = reports.map((r) => r.environment.loadAverage);
  lines.push(`${reports.length} runs, scale ${first.scale}, ${first.environment.postgres.split(' on ')[0]}; ` +
    `load average at the start of each: ${loads.map((l) => l.toFixed(1)).join(', ')}.`, '');
  for (const mode of first.run.modes) {
    lines.push(`**${mode}**`, '',
      `| hot path | RLS p50 (ms) | explicit p50 (ms) | ratio p50 | ratio p95 | RLS − explicit (ms) | ratio ≤ ${maxRatio} | RLS p50 ≤ ${maxP50Ms} ms |`,
      '|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const path of first.run.hotPaths) {
      const results = reports.map((r) => r.run.hotPaths.find((h) => h.name === path.name)?.modes.find((m) => m.mode === mode)).filter((m) => m !== undefined);
      if (results.length === 0) continue;
      const ratioHeld = results.filter((m) => m.ratio <= maxRatio).length;
      const p50Held = results.filter((m) => m.rls.p50 <= maxP50Ms).length;
      lines.push(`| \`${path.name}\` | ${range(results.map((m) => m.rls.p50))} | ${range(results.map((m) => m.explicit.p50))} | ` +
        `**${range(results.map((m) => m.ratio))}** | ${range(results.map((m) => m.ratioP95))} | ${range(results.map((m) => m.overheadMs))} | ` +
        `${ratioHeld}/${results.length} | ${p50Held}/${results.length} |`);
    }
    lines.push('');
  }
  const seqScans = reports.flatMap((r) => r.run.hotPaths.flatMap((h) => h.seqScans.map((s) => `${h.name}: ${s.table} in ${s.source}`)));
  lines.push(`Seq Scans on tables over ${first.run.targets.seqScanRows.toLocaleString('en-US')} rows (custom and generic plans, helper bodies): ` +
    `${seqScans.length === 0 ? 'none in any run' : [...new Set(seqScans)].join('; ')}.`);
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && /runs\.ts$/.test(process.argv[1])) {
  const paths = process.argv.slice(2);
  if (paths.length === 0) {
    process.stderr.write('usage: npm run bench:runs -- <results.json or its directory>…\n');
    process.exit(1);
  }
  process.stdout.write(summarizeRuns(paths.map(load)));
}
