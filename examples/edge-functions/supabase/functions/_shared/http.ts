import { describeDbError, findDbError, type DbErrorKind } from 'therapy-db';
import { JwtRejectedError } from 'therapy-db/rls';

export const corsHeaders = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'authorization, x-client-info, apikey, content-type',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
} as const;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...corsHeaders, 'Content-Type': 'application/json', ...headers } });
}

/** A field-level problem, as the validators and the database name fields: by column (`end_time`). */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

export interface Problem {
  readonly status: number;
  readonly error: string;
  readonly message: string;
  readonly field?: string;
  readonly issues?: readonly FieldIssue[];
  /** For database refusals: the SQLSTATE and the constraint that refused. */
  readonly code?: string;
  readonly constraint?: string;
}

export const problemResponse = (p: Problem): Response => json(p.status, p);

/** The HTTP status of each kind of database refusal (`describeDbError().kind`). */
const statusOfKind: Record<DbErrorKind, number> = {
  unique: 409, // the row exists already
  exclusion: 409, // overlaps an existing one (a double booking)
  permission: 403, // RLS or a grant refused: another organisation's row, or not the user's to write
  foreign_key: 422, // refers to a row that does not exist (in this organisation)
  check: 422,
  not_null: 422,
  raised: 422, // a trigger's rule
  other: 500,
};

/** Constraints whose columns are not the field a client would fix. */
const fieldOfConstraint: Record<string, string> = {
  therapy_sessions_therapist_overlap_excl: 'start_time',
  session_participants_student_overlap_excl: 'student_ids',
};

/**
 * The column a reference refers from, read from its name (`<table>_<columns>_fkey`, or
 * `<table>_<column>_member` for a user who must be a member of the organisation: the package's
 * naming rules), leaving out the tenant column: `therapy_sessions_organization_id_session_type_id_fkey`
 * → `session_type_id`. The name is needed because PostgreSQL leaves the key out of the error's detail
 * when the referenced table has row level security.
 */
function foreignKeyField(table: string | undefined, constraint: string | undefined): string | undefined {
  const suffix = constraint?.endsWith('_fkey') ? '_fkey' : constraint?.endsWith('_member') ? '_member' : undefined;
  if (!table || !suffix || !constraint?.startsWith(`${table}_`)) return undefined;
  const columns = constraint.slice(table.length + 1, -suffix.length);
  return columns.startsWith('organization_id_') ? columns.slice('organization_id_'.length) : columns;
}

/**
 * Any error from the request's transaction, as the answer to send: token refusals with their status,
 * database refusals mapped by `describeDbError` to a status and the field to fix, anything else a 500
 * whose details stay in the log.
 */
export function problemOf(error: unknown): Problem {
  if (error instanceof JwtRejectedError) return { status: error.status, error: error.reason, message: error.message };
  // Drizzle wraps the database's error (as `cause`): findDbError looks behind it.
  const dbError = findDbError(error);
  if (dbError) {
    const d = describeDbError(dbError);
    const status = statusOfKind[d.kind];
    if (status === 500) return { status, error: 'internal', message: 'the request could not be completed', code: d.code };
    const field = (d.constraint && fieldOfConstraint[d.constraint]) ?? d.column ?? (d.kind === 'foreign_key' ? foreignKeyField(d.table, d.constraint) : undefined);
    return {
      status,
      error: d.kind === 'permission' ? 'forbidden' : d.kind === 'unique' || d.kind === 'exclusion' ? 'conflict' : 'invalid',
      message: d.message,
      code: d.code,
      ...(field ? { field } : {}),
      ...(d.constraint ? { constraint: d.constraint } : {}),
    };
  }
  return { status: 500, error: 'internal', message: 'the request could not be completed' };
}
