import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/** A throwaway copy of the project (source, migrations, config; node_modules linked) to change and generate in. */
export interface ProjectCopy {
  readonly dir: string;
  /** Its migrations folder. */
  readonly drizzle: string;
  /** Rewrites a file of the copy; fails when `edit` leaves it unchanged. */
  edit(path: string, edit: (text: string) => string): void;
  /** `npm run db:generate -- --name <name>` in the copy; returns what it printed. */
  generate(name: string): string;
  remove(): void;
}

export function projectCopy(): ProjectCopy {
  const dir = mkdtempSync(join(tmpdir(), 'therapy-db-copy-'));
  for (const entry of ['src', 'drizzle', 'drizzle.config.ts', 'package.json', 'tsconfig.json']) {
    cpSync(join(root, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return {
    dir,
    drizzle: join(dir, 'drizzle'),
    edit(path, edit) {
      const file = join(dir, path);
      const before = readFileSync(file, 'utf8');
      const after = edit(before);
      if (after === before) throw new Error(`projectCopy.edit(${path}): nothing changed`);
      writeFileSync(file, after);
    },
    generate(name) {
      const run = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['src/cli/main.ts', 'generate', '--name', name], { cwd: dir, encoding: 'utf8' });
      const output = `${run.stdout}${run.stderr}`;
      if (run.status !== 0) throw new Error(`db:generate failed (exit ${run.status}):\n${output}`);
      return output;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
