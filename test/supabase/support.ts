import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = resolve(__dirname, '..', '..');

/** The Supabase CLI binary the devDependency `supabase` installs (its platform package, no download). */
export const SUPABASE_CLI = join(repo, 'node_modules', '.bin', 'supabase');

/** `url` as the CLI wants it for a local server: without TLS. */
export function cliDbUrl(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('sslmode', 'disable');
  return parsed.toString();
}

/**
 * Runs the real Supabase CLI in `cwd` (a project folder holding `supabase/`). Asynchronous on
 * purpose: the embedded database answers on this process's event loop.
 */
export async function supabaseCli(args: readonly string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(SUPABASE_CLI, [...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, DO_NOT_TRACK: '1', SUPABASE_TELEMETRY_DISABLED: '1' } });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`supabase ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}
