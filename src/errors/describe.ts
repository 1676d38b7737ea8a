/**
 * Turns a PostgreSQL error into something an app can show a person and a log can search:
 * the SQLSTATE, what kind of rule refused the write, the table, column and constraint it names.
 */
export type DbErrorKind =
  | 'unique'
  | 'foreign_key'
  | 'check'
  | 'exclusion'
  | 'not_null'
  | 'raised'
  | 'permission'
  | 'other';

export interface DescribedDbError {
  /** SQLSTATE, e.g. `23P01`. */
  readonly code: string;
  readonly kind: DbErrorKind;
  readonly table?: string;
  readonly column?: string;
  /** The constraint's name: our names say the rule, e.g. `therapy_sessions_end_after_start_check`. */
  readonly constraint?: string;
  /** A sentence for a person. */
  readonly message: string;
  /** Postgres's own message and detail, for logs. */
  readonly databaseMessage: string;
  readonly detail?: string;
}

/** The fields postgres.js (and node-postgres) put on a database error. */
interface PgErrorLike {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly detail?: unknown;
  readonly table_name?: unknown;
  readonly column_name?: unknown;
  readonly constraint_name?: unknown;
  readonly table?: unknown;
  readonly column?: unknown;
  readonly constraint?: unknown;
}

const KINDS: Record<string, DbErrorKind> = {
  '23505': 'unique',
  '23503': 'foreign_key',
  // ON DELETE RESTRICT reports its own SQLSTATE.
  '23001': 'foreign_key',
  '23514': 'check',
  '23P01': 'exclusion',
  '23502': 'not_null',
  P0001: 'raised',
  '42501': 'permission',
};

/** Sentences for constraints whose name alone would not tell a person what to do. */
const constraintMessages = new Map<string, string>();

/** Registers plain-language messages for constraint names (the schema registers its own). */
export function registerConstraintMessages(messages: Readonly<Record<string, string>>): void {
  for (const [name, text] of Object.entries(messages)) constraintMessages.set(name, text);
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** `Key (organization_id, slug)=(…) already exists.` → `organization_id, slug` */
function keyColumns(detail: string | undefined): string | undefined {
  return detail ? /^Key \(([^)]+)\)=/.exec(detail)?.[1] : undefined;
}

/** The sentence for a person, always naming the rule (constraint) when the database named one. */
function sentence(kind: DbErrorKind, e: { table?: string; column?: string; constraint?: string; detail?: string; pgMessage: string }): string {
  const text = baseSentence(kind, e);
  return e.constraint && !text.includes(e.constraint) ? `${text} (${e.constraint})` : text;
}

function baseSentence(kind: DbErrorKind, e: { table?: string; column?: string; constraint?: string; detail?: string; pgMessage: string }): string {
  const known = e.constraint ? constraintMessages.get(e.constraint) : undefined;
  if (known) return known;
  const columns = keyColumns(e.detail);
  switch (kind) {
    case 'unique':
      return `${e.table ?? 'a row'} with this ${columns ?? 'value'} already exists (${e.constraint ?? 'unique'})`;
    case 'foreign_key': {
      const referenced = e.detail?.match(/is not present in table "([^"]+)"/)?.[1];
      if (referenced) return `${columns ?? 'the reference'} must point to an existing ${referenced} row of the same organisation (${e.constraint})`;
      // The error's table is the referencing one; the row being removed is in the message.
      const referencing = e.detail?.match(/is (?:still )?referenced from table "([^"]+)"/)?.[1];
      const removed = /on table "([^"]+)" violates/.exec(e.pgMessage)?.[1];
      if (referencing) return `${removed ?? 'this row'} is still referenced by ${referencing} and cannot be removed (${e.constraint})`;
      return `${e.table ?? 'the row'} refers to a row that does not exist (${e.constraint})`;
    }
    case 'check':
      // A CHECK constraint's own message says only which; a trigger's says why, so keep that.
      return e.constraint && /violates check constraint/.test(e.pgMessage) ? `${e.table ?? 'the row'} breaks the rule ${e.constraint}` : e.pgMessage;
    case 'exclusion':
      return `${e.table ?? 'the row'} overlaps an existing one (${e.constraint ?? 'exclusion constraint'})`;
    case 'not_null':
      return `${e.column ?? 'a required field'} is required${e.table ? ` on ${e.table}` : ''}`;
    case 'permission':
      return `not allowed: ${e.pgMessage}`;
    default:
      return e.pgMessage;
  }
}

/** True when `error` carries a SQLSTATE, i.e. it came from the database. */
export function isDbError(error: unknown): error is Error & { code: string } {
  return typeof error === 'object' && error !== null && typeof (error as PgErrorLike).code === 'string' && /^[0-9A-Z]{5}$/.test((error as { code: string }).code);
}

/**
 * The database error behind `error`: itself, or the first error with a SQLSTATE among its causes.
 * Drizzle wraps driver errors (`DrizzleQueryError: Failed query: …`, the database error as `cause`),
 * and so may an app's own error types.
 */
export function findDbError(error: unknown): (Error & { code: string }) | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    if (isDbError(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Describes the database error behind `error` (see `findDbError`), or `error` itself when there is none. */
export function describeDbError(error: unknown): DescribedDbError {
  const found = findDbError(error) ?? error;
  const e = (typeof found === 'object' && found !== null ? found : {}) as PgErrorLike;
  const code = str(e.code) ?? 'unknown';
  const kind = KINDS[code] ?? 'other';
  const pgMessage = str(e.message) ?? String(found);
  let table = str(e.table_name) ?? str(e.table);
  const column = str(e.column_name) ?? str(e.column);
  const constraint = str(e.constraint_name) ?? str(e.constraint);
  const detail = str(e.detail);
  // Privilege and RLS refusals carry the table only in the message: `permission denied for table
  // profiles`, `new row violates row-level security policy for table "organization_members"`.
  if (!table) table = /(?:for|on) (?:table|relation) "?([^"\s]+)"?/.exec(pgMessage)?.[1];
  return {
    code,
    kind,
    ...(table ? { table } : {}),
    ...(column ? { column } : {}),
    ...(constraint ? { constraint } : {}),
    message: sentence(kind, { ...(table ? { table } : {}), ...(column ? { column } : {}), ...(constraint ? { constraint } : {}), ...(detail ? { detail } : {}), pgMessage }),
    databaseMessage: pgMessage,
    ...(detail ? { detail } : {}),
  };
}

/** A one-line log form: `23P01 exclusion therapy_sessions therapy_sessions_therapist_overlap_excl: …`. */
export function formatDbError(error: unknown): string {
  const d = describeDbError(error);
  return [d.code, d.kind, d.table, d.constraint ?? d.column].filter(Boolean).join(' ') + `: ${d.databaseMessage}`;
}
