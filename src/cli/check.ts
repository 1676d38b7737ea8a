import { stderrLogger } from '../log';
import { CheckUsageError, renderGithubAnnotations, renderJson, renderText, runChecks } from '../check';

export interface CheckCommandOptions {
  readonly url?: string;
  readonly base?: string;
  /** The layers, in order (default: the package's migrations). */
  readonly migrationsFolder?: readonly string[];
  readonly json: boolean;
  /** `--trace [--scale N] [--lock-threshold MS]`. */
  readonly trace?: { readonly scale?: number; readonly lockThresholdMs?: number };
}

/**
 * `therapy-db check [--url URL] [--base REF] [--json] [--migrations DIR]... [--trace [--scale N] [--lock-threshold MS]]`: the report on stdout (text, or JSON with
 * `--json`), progress on stderr, GitHub Actions annotations when `GITHUB_ACTIONS` is set. Returns
 * the exit code: 0 all passed, 1 a check failed, 2 a usage error.
 */
export async function runCheckCommand(options: CheckCommandOptions): Promise<number> {
  try {
    const report = await runChecks({
      ...(options.url ? { url: options.url } : {}),
      ...(options.base ? { base: options.base } : {}),
      ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
      ...(options.trace ? { trace: options.trace } : {}),
      log: stderrLogger,
    });
    const annotations = process.env.GITHUB_ACTIONS ? renderGithubAnnotations(report) : '';
    if (options.json) {
      process.stdout.write(renderJson(report));
      process.stderr.write(annotations);
    } else {
      process.stdout.write(annotations + renderText(report));
    }
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof CheckUsageError) {
      process.stderr.write(`therapy-db check: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
