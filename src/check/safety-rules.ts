import type { SafetyRule } from './allow-marker';
import type { ParsedStatement } from './migrations';
import { formatName, type QualifiedName } from './sql/names';

/** A statement that would lock or destroy production data. */
export interface SafetyViolation {
  readonly rule: SafetyRule;
  readonly message: string;
  readonly object: string;
  readonly line: number;
  readonly fix: string;
  /** For `drop-policy`: the dropped policy, to look for its replacement. */
  readonly droppedPolicy?: { readonly table: QualifiedName; readonly name: string };
}

/**
 * What the file has created so far. A table counts as new only in the migration that creates it
 * (it is empty there); any other table may hold data in some database — created by a released
 * migration, by an earlier migration of the same change (perhaps deployed already), or by the platform.
 */
export interface FileState {
  readonly createdTables: Set<string>;
  readonly createdPolicies: Set<string>;
}

const allow = (rule: SafetyRule): string => `or, if it is safe here, allow it on the line before: \`-- therapy-db: allow ${rule} (reason: …)\``;

/** The violations of one statement of a new migration, given what the file created before it. */
export function statementViolations(statement: ParsedStatement, state: FileState): SafetyViolation[] {
  const what = statement.what;
  const out: SafetyViolation[] = [];
  const existing = (table: QualifiedName): boolean => !state.createdTables.has(formatName(table));
  switch (what.kind) {
    case 'create-table':
      state.createdTables.add(formatName(what.table));
      break;
    case 'create-policy':
      state.createdPolicies.add(`${formatName(what.table)}.${what.policy}`);
      break;
    case 'drop-table':
      for (const table of what.tables.filter(existing)) {
        out.push({
          rule: 'drop-table',
          object: formatName(table),
          line: statement.line,
          message: `drops table ${formatName(table)} and every row in it`,
          fix: `release code that no longer uses the table first and archive its data, then drop it; ${allow('drop-table')}`,
        });
      }
      break;
    case 'create-index':
      if (!what.concurrently && existing(what.table)) {
        const name = what.index ? `index ${what.index.name}` : 'an index';
        out.push({
          rule: 'create-index',
          object: what.index ? formatName(what.index) : formatName(what.table),
          line: statement.line,
          message: `creates ${name} on existing table ${formatName(what.table)} without CONCURRENTLY: writes to the table block until the index is built`,
          fix:
            'build it with `create index concurrently` (Postgres refuses that inside a transaction, and `therapy-db migrate` runs each file in one: build it out of band before deploying and write `create index if not exists` here), ' +
            allow('create-index'),
        });
      }
      break;
    case 'drop-policy': {
      const key = `${formatName(what.table)}.${what.policy}`;
      if (!state.createdPolicies.has(key)) {
        out.push({
          rule: 'drop-policy',
          object: `${formatName(what.table)} policy ${what.policy}`,
          line: statement.line,
          message: `drops policy "${what.policy}" on ${formatName(what.table)} and creates no replacement: what it allowed is now denied`,
          fix: `create the replacement policy in the same change, ${allow('drop-policy')}`,
          droppedPolicy: { table: what.table, name: what.policy },
        });
      }
      break;
    }
    case 'alter-table': {
      if (!existing(what.table)) break;
      const table = formatName(what.table);
      for (const action of what.actions) {
        switch (action.kind) {
          case 'drop-column':
            out.push({
              rule: 'drop-column',
              object: `${table}.${action.column}`,
              line: action.line,
              message: `drops column ${table}.${action.column} and its data; deployed code that reads or writes it fails`,
              fix: `release code that no longer uses the column first, then drop it in a later release; ${allow('drop-column')}`,
            });
            break;
          case 'alter-column-type':
            out.push({
              rule: 'alter-column-type',
              object: `${table}.${action.column}`,
              line: action.line,
              message: `changes the type of ${table}.${action.column}: most type changes rewrite the table under an ACCESS EXCLUSIVE lock, and values may not convert`,
              fix: `add a column of the new type, backfill it in batches, move readers to it, then drop the old one; ${allow('alter-column-type')}`,
            });
            break;
          case 'add-column':
            if (action.notNull && !action.hasDefault) {
              out.push({
                rule: 'add-not-null',
                object: `${table}.${action.column}`,
                line: action.line,
                message: `adds NOT NULL column ${table}.${action.column} without a default: fails as soon as the table has a row`,
                fix: `give it a default (\`… not null default …\`), or add it nullable, backfill it, then make it NOT NULL; ${allow('add-not-null')}`,
              });
            }
            break;
          case 'set-not-null':
            out.push({
              rule: 'add-not-null',
              object: `${table}.${action.column}`,
              line: action.line,
              message: `sets NOT NULL on ${table}.${action.column} of an existing table: scans the whole table under an ACCESS EXCLUSIVE lock and fails on any NULL`,
              fix: `backfill, add \`check (${action.column} is not null) not valid\`, validate it in a later migration, then set NOT NULL (Postgres skips the scan); ${allow('add-not-null')}`,
            });
            break;
          case 'rename-column':
            out.push({
              rule: 'rename',
              object: `${table}.${action.column}`,
              line: action.line,
              message: `renames column ${table}.${action.column} to ${action.to}: deployed code using the old name fails`,
              fix: `add the new column alongside, write both, move readers, then drop the old one; ${allow('rename')}`,
            });
            break;
          case 'rename-table':
            out.push({
              rule: 'rename',
              object: table,
              line: action.line,
              message: `renames or moves table ${table} (to ${action.to}): deployed code using the old name fails`,
              fix: `create the new name alongside (e.g. a view) and move readers before removing the old one; ${allow('rename')}`,
            });
            break;
          case 'add-constraint':
            // A UNIQUE or PRIMARY KEY constraint builds its index like `create index` does. (Exclusion
            // constraints are left alone: they cannot adopt a prebuilt index, and the generator
            // writes them in the `_objects` migration after the one that creates their table.)
            if ((action.type === 'unique' || action.type === 'primary-key') && !action.usingIndex) {
              const kind = action.type === 'primary-key' ? 'primary key' : 'UNIQUE constraint';
              out.push({
                rule: 'create-index',
                object: action.constraint ? `${table}.${action.constraint}` : table,
                line: action.line,
                message: `adds ${kind}${action.constraint ? ` ${action.constraint}` : ''} to existing table ${table}: builds its index while writes to the table block`,
                fix: `build the index first (\`create unique index concurrently\`, out of band), then \`add constraint … ${action.type === 'unique' ? 'unique' : 'primary key'} using index …\`; ${allow('create-index')}`,
              });
              break;
            }
            if (!action.notValid && (action.type === 'foreign-key' || action.type === 'check')) {
              const kind = action.type === 'foreign-key' ? 'foreign key' : 'CHECK constraint';
              const rule = action.type === 'foreign-key' ? 'add-foreign-key' : 'add-check';
              out.push({
                rule,
                object: action.constraint ? `${table}.${action.constraint}` : table,
                line: action.line,
                message: `adds ${kind}${action.constraint ? ` ${action.constraint}` : ''} to existing table ${table} without NOT VALID: validates every row while holding a lock that blocks writes`,
                fix: `add it \`not valid\`, then \`alter table … validate constraint …\` in a later migration (each file runs in one transaction); ${allow(rule)}`,
              });
            }
            break;
          default:
            break;
        }
      }
      break;
    }
    default:
      break;
  }
  return out;
}
