import type { SourceLocation } from './model';
import type { ParsedMigration } from './migrations';
import { formatName } from './sql/names';

/**
 * Finds where the migrations create an object, so a catalogue finding on the replayed database can
 * point at a file and line. Keys: `table public.t`, `index public.i`, `constraint public.t.c`,
 * `function app.f`, `view public.v`, `extension e`, `policy public.t.p`, `grant public.t`. The last
 * statement that (re)creates the object wins.
 */
export type Locator = (key: string) => SourceLocation | undefined;

export const noLocator: Locator = () => undefined;

export function buildLocator(migrations: readonly ParsedMigration[]): Locator {
  const found = new Map<string, SourceLocation>();
  for (const migration of migrations) {
    for (const statement of migration.statements) {
      const at = { file: migration.file, line: statement.line };
      const what = statement.what;
      switch (what.kind) {
        case 'create-table':
          found.set(`table ${formatName(what.table)}`, at);
          for (const c of what.constraints) found.set(`constraint ${formatName(what.table)}.${c}`, at);
          break;
        case 'create-index':
          if (what.index) found.set(`index ${formatName(what.index)}`, at);
          break;
        case 'alter-table':
          for (const action of what.actions) {
            if (action.kind === 'add-constraint' && action.constraint) {
              found.set(`constraint ${formatName(what.table)}.${action.constraint}`, { file: migration.file, line: action.line });
            }
          }
          break;
        case 'create-policy':
          found.set(`policy ${formatName(what.table)}.${what.policy}`, at);
          break;
        case 'create-function':
          found.set(`function ${formatName(what.function)}`, at);
          break;
        case 'create-view':
          found.set(`view ${formatName(what.view)}`, at);
          break;
        case 'create-extension':
          found.set(`extension ${what.extension}`, at);
          break;
        case 'grant':
          for (const table of what.tables) found.set(`grant ${formatName(table)}`, at);
          break;
        default:
          break;
      }
    }
  }
  return (key) => found.get(key);
}

/** `{ file, line }` of a location, or nothing: to spread into a finding. */
export function at(location: SourceLocation | undefined): { file?: string; line?: number } {
  if (!location) return {};
  return location.line === undefined ? { file: location.file } : { file: location.file, line: location.line };
}
