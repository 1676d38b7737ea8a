/**
 * The check model: a `Check` runs against a context and yields findings (or is skipped with a
 * reason); running it gives a `CheckResult` for the report.
 */
export type CheckId =
  | 'drift'
  | 'integrity'
  | 'replay'
  | 'sql-drift'
  | 'rls-enabled'
  | 'grants-have-policies'
  | 'client-privileges'
  | 'auth-calls-wrapped'
  | 'arms-have-roles'
  | 'foreign-keys-indexed'
  | 'tenant-foreign-keys'
  | 'primary-keys'
  | 'security-definer'
  | 'duplicate-indexes'
  | 'views-security-invoker'
  | 'extensions-not-in-public'
  | 'safety'
  | 'trace';

export type CheckStatus = 'passed' | 'failed' | 'skipped';

/** Where something is in a migration file. */
export interface SourceLocation {
  /** Absolute path of the file. */
  readonly file: string;
  /** 1-based line. */
  readonly line?: number;
}

/** One problem a check found. */
export interface Finding {
  /** A sentence naming the object and what is wrong with it. */
  readonly message: string;
  /** The offending object: `public.students`, `public.students.email`, `app.f()`, a migration tag. */
  readonly object?: string;
  /** The migration file (absolute path) where the object or statement is, when known. */
  readonly file?: string;
  /** 1-based line in `file`. */
  readonly line?: number;
  /** How to fix it. */
  readonly fix?: string;
  /** The rule within the check, e.g. `drop-column` for the safety lint. */
  readonly rule?: string;
}

/** What a check's `run` returns: findings (none = passed) and what was checked, or why it did not run. */
export type CheckOutcome =
  | { readonly findings: readonly Finding[]; readonly checked: string; readonly details?: readonly string[] }
  | { readonly skipped: string };

export interface Check<Context> {
  readonly id: CheckId;
  /** A short description, e.g. "every table in an exposed schema has row level security". */
  readonly title: string;
  run(context: Context): Promise<CheckOutcome>;
}

export interface CheckResult {
  readonly id: CheckId;
  readonly title: string;
  readonly status: CheckStatus;
  /** What was checked (passed), how many problems (failed), or why it did not run (skipped). */
  readonly summary: string;
  readonly findings: readonly Finding[];
  readonly durationMs: number;
  /** What the check saw, line by line, when it has more to say than its summary (the trace's statements). */
  readonly details?: readonly string[];
}

export function skippedResult(check: { readonly id: CheckId; readonly title: string }, reason: string): CheckResult {
  return { id: check.id, title: check.title, status: 'skipped', summary: reason, findings: [], durationMs: 0 };
}

/** A check that could not run at all (no database, unreadable migrations). */
export function failedResult(check: { readonly id: CheckId; readonly title: string }, summary: string, message: string): CheckResult {
  return { id: check.id, title: check.title, status: 'failed', summary, findings: [{ message }], durationMs: 0 };
}

/** Runs one check; an unexpected error is reported as the check's failure, not thrown. */
export async function runCheck<Context>(check: Check<Context>, context: Context): Promise<CheckResult> {
  const started = performance.now();
  const base = { id: check.id, title: check.title };
  try {
    const outcome = await check.run(context);
    const durationMs = Math.round(performance.now() - started);
    if ('skipped' in outcome) return { ...base, status: 'skipped', summary: outcome.skipped, findings: [], durationMs };
    const n = outcome.findings.length;
    return {
      ...base,
      status: n === 0 ? 'passed' : 'failed',
      summary: n === 0 ? outcome.checked : `${n} problem${n === 1 ? '' : 's'} (${outcome.checked})`,
      findings: outcome.findings,
      durationMs,
      ...(outcome.details?.length ? { details: outcome.details } : {}),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ...base,
      status: 'failed',
      summary: 'the check could not run',
      findings: [{ message: `the check could not run: ${message}` }],
      durationMs: Math.round(performance.now() - started),
    };
  }
}

/**
 * A check run over several migration layers: the same check once per layer, findings together.
 * With one layer it is the check itself; otherwise each layer's summary is prefixed with its folder.
 */
export function eachLayer<Context>(check: Check<Context>, folderOf: (context: Context) => string): Check<readonly Context[]> {
  return {
    id: check.id,
    title: check.title,
    async run(contexts) {
      const outcomes = [];
      for (const context of contexts) outcomes.push(await check.run(context));
      if (outcomes.length === 1) return outcomes[0]!;
      const label = (index: number): string => folderOf(contexts[index]!);
      const ran = outcomes.flatMap((outcome, index) => ('skipped' in outcome ? [] : [{ outcome, index }]));
      if (ran.length === 0) return { skipped: outcomes.map((o, i) => `${label(i)}: ${'skipped' in o ? o.skipped : ''}`).join('; ') };
      return {
        findings: ran.flatMap(({ outcome }) => outcome.findings),
        checked: outcomes.map((o, i) => `${label(i)}: ${'skipped' in o ? `skipped (${o.skipped})` : o.checked}`).join('; '),
      };
    },
  };
}

/** Thrown for a usage error (an unknown `--base`, a folder that is not a migrations folder): exit 2. */
export class CheckUsageError extends Error {
  override readonly name = 'CheckUsageError';
}
