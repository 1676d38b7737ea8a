import type { Logger } from '../log';

/** `therapy-db export supabase|pgtap`: argument checks and the exit code; the work is in the library. */
export async function exportCommand(options: {
  readonly what: string | undefined;
  readonly dir?: string;
  readonly dryRun: boolean;
  readonly log: Logger;
  readonly usageError: (message: string) => Error;
}): Promise<number> {
  switch (options.what) {
    case 'supabase': {
      const { exportSupabaseMigrations } = await import('../migrate');
      const result = exportSupabaseMigrations({ ...(options.dir ? { dir: options.dir } : {}), dryRun: options.dryRun, log: options.log });
      return result.conflicts.length > 0 ? 1 : 0;
    }
    case 'pgtap': {
      const { exportPgTap } = await import('../probes');
      exportPgTap({ ...(options.dir ? { dir: options.dir } : {}), dryRun: options.dryRun, log: options.log });
      return 0;
    }
    case undefined:
      throw options.usageError('export needs a target: export supabase, or export pgtap');
    default:
      throw options.usageError(`unknown export target "${options.what}" (expected supabase or pgtap)`);
  }
}
