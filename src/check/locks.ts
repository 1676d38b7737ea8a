import type { AlterTableAction, MigrationStatementKind } from './sql/classify';
import type { QualifiedName } from './sql/names';

/**
 * The `lock_timeout` generated migrations set before taking a lock that blocks writes: a migration
 * that cannot get its lock in time fails (SQLSTATE 55P03) and is retried, instead of stalling the
 * application's queries queued behind it.
 */
export const MIGRATION_LOCK_TIMEOUT = '5s';

/** PostgreSQL's table lock modes, weakest first (the names `pg_locks.mode` uses). */
export const LOCK_MODES = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
] as const;

export type LockMode = (typeof LOCK_MODES)[number];

export const lockRank = (mode: LockMode): number => LOCK_MODES.indexOf(mode);

/** `ACCESS EXCLUSIVE` for messages. */
export function lockName(mode: LockMode): string {
  return mode
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

/**
 * A lock that blocks writes (INSERT, UPDATE, DELETE take ROW EXCLUSIVE, which conflicts with SHARE
 * and stronger). A statement waiting for one queues every later write behind it, so it needs a
 * `lock_timeout`; SHARE UPDATE EXCLUSIVE and weaker (`create index concurrently`, `validate
 * constraint`, `comment on`) let writes through while they wait.
 */
export const blocksWrites = (mode: LockMode): boolean => lockRank(mode) >= lockRank('ShareLock');

/** A table lock a statement takes: on `table`, or (`table` undefined) on the table of an index it names. */
export interface TableLock {
  readonly table: QualifiedName | undefined;
  /** For `drop index`: the index, whose table the statement does not name. */
  readonly index?: QualifiedName;
  readonly mode: LockMode;
}

const strongest = (modes: readonly LockMode[]): LockMode => modes.reduce((a, b) => (lockRank(b) > lockRank(a) ? b : a), 'AccessShareLock');

/** The lock an `ALTER TABLE` action takes on its table (PostgreSQL's documentation of ALTER TABLE). */
function actionLock(action: AlterTableAction): LockMode {
  switch (action.kind) {
    case 'add-constraint':
      return action.type === 'foreign-key' ? 'ShareRowExclusiveLock' : 'AccessExclusiveLock';
    case 'validate-constraint':
    case 'settings':
      return 'ShareUpdateExclusiveLock';
    case 'trigger-state':
      return 'ShareRowExclusiveLock';
    default:
      return 'AccessExclusiveLock';
  }
}

const LOCK_TABLE_MODES: Readonly<Record<string, LockMode>> = {
  'access share': 'AccessShareLock',
  'row share': 'RowShareLock',
  'row exclusive': 'RowExclusiveLock',
  'share update exclusive': 'ShareUpdateExclusiveLock',
  share: 'ShareLock',
  'share row exclusive': 'ShareRowExclusiveLock',
  exclusive: 'ExclusiveLock',
  'access exclusive': 'AccessExclusiveLock',
};

/**
 * The table locks a statement takes, as PostgreSQL documents them, held until its transaction
 * ends. Plain DML (`insert`, `update`, `delete`: ROW EXCLUSIVE) and statements on no table are not
 * listed: they never block other writers.
 */
export function tableLocks(what: MigrationStatementKind): TableLock[] {
  switch (what.kind) {
    case 'alter-table': {
      const locks: TableLock[] = [{ table: what.table, mode: strongest(what.actions.map(actionLock)) }];
      for (const action of what.actions) {
        // A foreign key also takes SHARE ROW EXCLUSIVE on the table it references (its triggers).
        if (action.kind === 'add-constraint' && action.references) locks.push({ table: action.references.table, mode: 'ShareRowExclusiveLock' });
      }
      return locks;
    }
    case 'create-index':
      return [{ table: what.table, mode: what.concurrently ? 'ShareUpdateExclusiveLock' : 'ShareLock' }];
    case 'drop-index':
      return what.indexes.map((index) => ({ table: undefined, index, mode: what.concurrently ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock' }));
    case 'drop-table':
    case 'truncate':
      return what.tables.map((table) => ({ table, mode: 'AccessExclusiveLock' }));
    case 'create-policy':
    case 'alter-policy':
    case 'drop-policy':
    case 'drop-trigger':
      return [{ table: what.table, mode: 'AccessExclusiveLock' }];
    case 'create-trigger':
      return [{ table: what.table, mode: 'ShareRowExclusiveLock' }];
    case 'cluster':
      return what.table ? [{ table: what.table, mode: 'AccessExclusiveLock' }] : [];
    case 'vacuum':
      return what.tables.map((table) => ({ table, mode: what.full ? 'AccessExclusiveLock' : 'ShareUpdateExclusiveLock' }));
    case 'lock-table':
      return what.tables.map((table) => ({ table, mode: LOCK_TABLE_MODES[what.mode] ?? 'AccessExclusiveLock' }));
    case 'reindex':
      return what.table ? [{ table: what.table, mode: what.concurrently ? 'ShareUpdateExclusiveLock' : 'ShareLock' }] : [];
    case 'refresh-materialized-view':
      return [{ table: what.view, mode: what.concurrently ? 'ExclusiveLock' : 'AccessExclusiveLock' }];
    case 'comment':
      return what.table ? [{ table: what.table, mode: 'ShareUpdateExclusiveLock' }] : [];
    default:
      return [];
  }
}
