import type { SafetyRule } from './allow-marker';
import { blocksWrites, lockName, MIGRATION_LOCK_TIMEOUT, tableLocks, type TableLock } from './locks';
import type { ParsedStatement } from './migrations';
import type { AlterTableAction, MigrationStatementKind } from './sql/classify';
import { accessSetSources } from '../policies';
import { isPunct, isWord, type Token } from '../sql';
import { formatName, isIdentifier, type QualifiedName } from './sql/names';

/** A statement that would lock or destroy production data. */
export interface SafetyViolation {
  readonly rule: SafetyRule;
  readonly message: string;
  readonly object: string;
  readonly line: number;
  readonly fix: string;
  /** For `drop-policy`: the dropped policy, to look for its replacement. */
  readonly droppedPolicy?: { readonly table: QualifiedName; readonly name: string };
  /** For `stale-access-sets` of a dropped trigger: the trigger, which the file may create again. */
  readonly droppedTrigger?: { readonly table: QualifiedName; readonly name: string };
}

/**
 * The columns the access sets are computed from, by table (`public.x`). A change of one of them
 * that fires no statement trigger leaves the sets (who may read which student, conversation,
 * organisation) stale until `app.refresh_access_sets()` runs: docs/security.md.
 */
const ACCESS_SET_COLUMNS: ReadonlyMap<string, ReadonlySet<string>> = new Map(accessSetSources.map((s) => [s.table, new Set(s.columns)]));

/** The access-set triggers are named `<table>_access_sets_<event>` (src/policies/access-sets.ts). */
const isAccessSetTrigger = (name: string): boolean => /_access_sets_(insert|update|delete|truncate)$/.test(name);

/**
 * What an `enable`/`disable trigger` action does to the access-set triggers of a source table, or
 * undefined when it leaves them firing always: `disable trigger all|user|<one of them>`, and
 * `enable [replica] trigger …` (which turn them from `always` to firing only outside, or only in,
 * replica mode).
 */
function accessSetTriggerState(tokens: readonly Token[]): string | undefined {
  const enable = isWord(tokens[0], 'enable');
  const mode = isWord(tokens[1], 'replica', 'always') ? tokens[1]!.value.toLowerCase() : undefined;
  const name = tokens[mode ? 3 : 2];
  if (!name || !isWord(tokens[mode ? 2 : 1], 'trigger')) return undefined;
  const which =
    name.kind === 'word' && isWord(name, 'all', 'user')
      ? name.value.toLowerCase() === 'all'
        ? 'every trigger'
        : 'every user trigger'
      : isIdentifier(name) && isAccessSetTrigger(name.kind === 'quoted' ? name.value : name.value.toLowerCase())
        ? `trigger ${name.value}`
        : undefined;
  if (!which || (enable && mode === 'always')) return undefined;
  return enable ? `sets ${which} to fire ${mode === 'replica' ? 'only in' : 'only outside'} replica mode` : `disables ${which}`;
}

/** `token` names `name` (an unquoted word in any case, or exactly when quoted). */
const names = (token: Token | undefined, name: string): boolean =>
  isIdentifier(token) && (token.kind === 'quoted' ? token.value === name : token.value.toLowerCase() === name);

/** The statement calls `app.refresh_access_sets()`, which recomputes every access set. */
export function refreshesAccessSets(statement: ParsedStatement): boolean {
  const t = statement.tokens;
  return t.some((token, i) => names(token, 'refresh_access_sets') && isPunct(t[i - 1], '.') && names(t[i - 2], 'app') && isPunct(t[i + 1], '('));
}

/**
 * What the file has created so far. A table counts as new only in the migration that creates it
 * (it is empty there); any other table may hold data in some database — created by a released
 * migration, by an earlier migration of the same change (perhaps deployed already), or by the platform.
 */
export interface FileState {
  readonly createdTables: Set<string>;
  readonly createdPolicies: Set<string>;
  readonly createdIndexes: Set<string>;
  /** The file runs outside a transaction (`-- therapy-db: no-transaction`, as the runner reads it). */
  readonly noTransaction: boolean;
  /** A `set lock_timeout` earlier in the file that is in force for the statements after it. */
  lockTimeout: boolean;
}

/** The state at the start of a file. */
export function fileState(noTransaction: boolean): FileState {
  return { createdTables: new Set(), createdPolicies: new Set(), createdIndexes: new Set(), noTransaction, lockTimeout: false };
}

/** Statements PostgreSQL refuses inside a transaction block. */
function refusesTransaction(what: MigrationStatementKind): string | undefined {
  switch (what.kind) {
    case 'create-index':
      return what.concurrently ? 'create index concurrently' : undefined;
    case 'drop-index':
      return what.concurrently ? 'drop index concurrently' : undefined;
    case 'reindex':
      return what.concurrently ? 'reindex concurrently' : undefined;
    case 'vacuum':
      return 'vacuum';
    default:
      return undefined;
  }
}

/**
 * The locks of a statement that block writes on a table that may hold rows (one the file did not
 * create), each queueing every later write behind it while it waits: they need a `lock_timeout`.
 */
export function writeBlockingLocks(what: MigrationStatementKind, state: Pick<FileState, 'createdTables' | 'createdIndexes'>): TableLock[] {
  return tableLocks(what).filter(
    (lock) =>
      blocksWrites(lock.mode) &&
      (lock.table ? !state.createdTables.has(formatName(lock.table)) : !(lock.index && state.createdIndexes.has(formatName(lock.index)))),
  );
}

/**
 * Functions PostgreSQL marks VOLATILE that a column default commonly calls: such a default is
 * evaluated per row, so `add column … default f()` rewrites the whole table under ACCESS EXCLUSIVE
 * (a constant or STABLE default such as `now()` is stored once in the catalogue instead).
 */
const VOLATILE_FUNCTIONS = new Set([
  'random',
  'gen_random_uuid',
  'gen_random_bytes',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'txid_current',
]);

/** Why adding this column rewrites its table, or undefined when it does not. */
function rewritingColumn(action: Extract<AlterTableAction, { kind: 'add-column' }>): string | undefined {
  const call = action.defaultTokens.find((t, k) => t.kind === 'word' && VOLATILE_FUNCTIONS.has(t.value) && isPunct(action.defaultTokens[k + 1], '('));
  if (call) return `its default calls the volatile ${call.value}(), evaluated for every existing row`;
  const words = action.tokens.filter((t) => t.kind === 'word').map((t) => t.value);
  if (words.some((w) => w === 'serial' || w === 'bigserial' || w === 'smallserial')) return 'a serial column takes nextval() for every existing row';
  const generated = words.indexOf('generated');
  if (generated !== -1 && words.includes('stored')) return 'a stored generated column is computed for every existing row';
  if (generated !== -1 && words.includes('identity')) return 'an identity column takes a value for every existing row';
  return undefined;
}

const allow = (rule: SafetyRule): string => `or, if it is safe here, allow it on the line before: \`-- therapy-db: allow ${rule} (reason: …)\``;

/** The violations of one statement of a new migration, given what the file created before it. */
export function statementViolations(statement: ParsedStatement, state: FileState): SafetyViolation[] {
  const what = statement.what;
  const out: SafetyViolation[] = [];
  const existing = (table: QualifiedName): boolean => !state.createdTables.has(formatName(table));
  const blocking = writeBlockingLocks(what, state);
  if (blocking.length > 0 && !state.lockTimeout) {
    const first = blocking[0]!;
    const target = first.table ? formatName(first.table) : `the table of index ${formatName(first.index!)}`;
    out.push({
      rule: 'lock-timeout',
      object: target,
      line: statement.line,
      message: `takes ${lockName(first.mode)} on ${target}, which may hold rows, with no lock_timeout: while it waits behind a long query every read or write of the table queues behind it`,
      fix: `start the file with \`set${state.noTransaction ? '' : ' local'} lock_timeout = '${MIGRATION_LOCK_TIMEOUT}'\` (a migration that cannot take its lock in time fails and can be retried; \`npm run db:generate\` writes it), ${allow('lock-timeout')}`,
    });
  }
  const refused = refusesTransaction(what);
  if (refused && !state.noTransaction) {
    out.push({
      rule: 'no-transaction',
      object: what.kind === 'create-index' && what.index ? formatName(what.index) : refused,
      line: statement.line,
      message: `${refused} cannot run inside a transaction, and the runner applies this file in one`,
      fix: `put it in a migration of its own whose first line is \`-- therapy-db: no-transaction\` (\`npm run db:generate\` writes indexes on existing tables that way)`,
    });
  }
  switch (what.kind) {
    case 'set':
      if (what.name === 'lock_timeout') {
        // SET LOCAL outside a transaction does nothing; `0` turns the timeout off.
        const effective = !(state.noTransaction && what.local) && !/^0+(\s*(ms|s|min))?$/i.test(what.value.trim());
        state.lockTimeout = effective;
      }
      break;
    case 'create-table':
      state.createdTables.add(formatName(what.table));
      break;
    case 'create-policy':
      state.createdPolicies.add(`${formatName(what.table)}.${what.policy}`);
      break;
    case 'truncate':
      for (const table of what.tables.filter(existing)) {
        out.push({
          rule: 'truncate',
          object: formatName(table),
          line: statement.line,
          message: `truncates ${formatName(table)}: every row is gone${what.cascade ? ', and with CASCADE every row of every table that references it' : ''}, under ACCESS EXCLUSIVE`,
          fix: `delete the rows a migration must remove with a \`where\` that names them (or archive the table first), ${allow('truncate')}`,
        });
      }
      break;
    case 'delete':
    case 'update':
      if (!what.where && existing(what.table)) {
        out.push({
          rule: 'dml-without-where',
          object: formatName(what.table),
          line: statement.line,
          message: `${what.kind === 'delete' ? 'deletes' : 'updates'} every row of ${formatName(what.table)} (no WHERE), in the migration's transaction: every row stays locked until it commits`,
          fix: `name the rows with a \`where\`, and backfill a large table in batches outside the migration; ${allow('dml-without-where')}`,
        });
      }
      break;
    case 'do-block':
      out.push({
        rule: 'do-block',
        object: 'do block',
        line: statement.line,
        message: 'runs a DO block, code this lint cannot read: what it locks, rewrites or deletes is unknown',
        fix: `write what it does as plain statements (or as a declared function), or review it and ${allow('do-block').replace(/^or, if it is safe here, /, '')}`,
      });
      break;
    case 'cluster':
    case 'vacuum': {
      if (what.kind === 'vacuum' && !what.full) break;
      const tables = what.kind === 'cluster' ? (what.table ? [what.table] : undefined) : what.tables;
      const name = what.kind === 'cluster' ? 'cluster' : 'vacuum full';
      for (const table of (tables ?? [undefined]).filter((t) => t === undefined || existing(t))) {
        out.push({
          rule: 'cluster',
          object: table ? formatName(table) : 'every clustered table',
          line: statement.line,
          message: `${name} rewrites ${table ? formatName(table) : 'every table clustered before'} under ACCESS EXCLUSIVE: no read or write until it finishes`,
          fix: `reorganise a table outside migrations, with a tool that does not lock it (pg_repack), ${allow('cluster')}`,
        });
      }
      break;
    }
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
      if (what.index) state.createdIndexes.add(formatName(what.index));
      if (!what.concurrently && existing(what.table)) {
        const name = what.index ? `index ${what.index.name}` : 'an index';
        out.push({
          rule: 'create-index',
          object: what.index ? formatName(what.index) : formatName(what.table),
          line: statement.line,
          message: `creates ${name} on existing table ${formatName(what.table)} without CONCURRENTLY: writes to the table block until the index is built`,
          fix:
            'build it with `create index concurrently` in a migration whose first line is `-- therapy-db: no-transaction` (the runner applies it statement by statement, outside a transaction; `npm run db:generate` writes it so), ' +
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
    case 'drop-trigger':
      if (ACCESS_SET_COLUMNS.has(formatName(what.table)) && isAccessSetTrigger(what.trigger) && existing(what.table)) {
        out.push({
          rule: 'stale-access-sets',
          object: `${formatName(what.table)} trigger ${what.trigger}`,
          line: statement.line,
          message: `drops trigger ${what.trigger} on ${formatName(what.table)}, which keeps the access sets: until it is created again, a write to the table leaves who may read what stale`,
          fix: `create it again in the same migration (then nothing is missed), or end the migration with \`select app.refresh_access_sets();\`, ${allow('stale-access-sets')}`,
          droppedTrigger: { table: what.table, name: what.trigger },
        });
      }
      break;
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
            if (ACCESS_SET_COLUMNS.get(table)?.has(action.column)) {
              out.push({
                rule: 'stale-access-sets',
                object: `${table}.${action.column}`,
                line: action.line,
                message: `changes the type of ${table}.${action.column}, a column the access sets are computed from: the rewrite fires no trigger, so a value the conversion changes leaves who may read what stale`,
                fix: `follow it with \`select app.refresh_access_sets();\` in the same migration, ${allow('stale-access-sets')}`,
              });
            }
            out.push({
              rule: 'alter-column-type',
              object: `${table}.${action.column}`,
              line: action.line,
              message: `changes the type of ${table}.${action.column}: most type changes rewrite the table under an ACCESS EXCLUSIVE lock, and values may not convert`,
              fix: `add a column of the new type, backfill it in batches, move readers to it, then drop the old one; ${allow('alter-column-type')}`,
            });
            break;
          case 'add-column': {
            const rewrite = rewritingColumn(action);
            if (rewrite) {
              out.push({
                rule: 'volatile-default',
                object: `${table}.${action.column}`,
                line: action.line,
                message: `adds column ${table}.${action.column} and rewrites the whole table under ACCESS EXCLUSIVE: ${rewrite}`,
                fix: `add the column without that default (or with a constant one), set the default in a later statement (it then applies to new rows only) and backfill existing rows in batches; ${allow('volatile-default')}`,
              });
            }
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
          }
          case 'set-not-null':
            out.push({
              rule: 'add-not-null',
              object: `${table}.${action.column}`,
              line: action.line,
              message: `sets NOT NULL on ${table}.${action.column} of an existing table: scans the whole table under an ACCESS EXCLUSIVE lock and fails on any NULL`,
              fix: `backfill, add \`check (${action.column} is not null) not valid\`, validate it in a later migration, then set NOT NULL (Postgres skips the scan); ${allow('add-not-null')}`,
            });
            break;
          case 'trigger-state': {
            const change = ACCESS_SET_COLUMNS.has(table) ? accessSetTriggerState(action.tokens) : undefined;
            if (change) {
              out.push({
                rule: 'stale-access-sets',
                object: table,
                line: action.line,
                message: `${change} on ${table}, whose writes keep the access sets: a write the triggers miss leaves who may read what stale`,
                fix: `keep the access-set triggers \`enable always\`; if the migration must write without them, end it with \`select app.refresh_access_sets();\`, ${allow('stale-access-sets')}`,
              });
            }
            break;
          }
          case 'row-level-security':
            if (action.setting === 'disable' || action.setting === 'no force') {
              out.push({
                rule: 'disable-rls',
                object: table,
                line: action.line,
                message: `${action.setting === 'disable' ? 'disables row level security on' : 'stops forcing row level security on'} ${table}: ${action.setting === 'disable' ? 'every role with a grant on it reads and writes every row' : 'its owner bypasses the policies'}`,
                fix: `keep row level security on and change the policies instead, ${allow('disable-rls')}`,
              });
            }
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
                fix: `build the index first (\`create unique index concurrently\` in a \`-- therapy-db: no-transaction\` migration), then \`add constraint … ${action.type === 'unique' ? 'unique' : 'primary key'} using index …\` in a later one (\`npm run db:generate\` writes both); ${allow('create-index')}`,
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
