/**
 * A database object that drizzle-kit cannot express (functions, triggers, exclusion constraints,
 * comments, grants, extensions, schemas, publications), described as plain immutable data.
 *
 * The generate command diffs the declared objects against the snapshot committed beside the
 * migrations (`drizzle/meta/ddl_snapshot.json`) and writes the difference into a drizzle-kit custom
 * migration, so changing a function body yields a new migration like changing a column does.
 */
export type DdlKind =
  | 'extension'
  | 'schema'
  | 'function'
  | 'trigger'
  | 'constraint'
  | 'comment'
  | 'grant'
  | 'publication'
  | 'statement';

/**
 * `pre` objects are migrated before drizzle-kit's table changes (schemas, extensions, the RLS helper
 * functions that policies call); `post` objects after them (triggers, constraints, grants, comments),
 * because they need the tables to exist.
 */
export type DdlPhase = 'pre' | 'post';

export interface DdlObject {
  readonly kind: DdlKind;
  /** Stable identity, e.g. `function app.org_ids(text[])`; two objects may not share a key. */
  readonly key: string;
  readonly phase: DdlPhase;
  /** Statements that create the object, or bring an existing one to this definition. */
  readonly create: readonly string[];
  /** Statements that remove the object. */
  readonly drop: readonly string[];
  /**
   * How a changed definition is applied: `replace` runs `create` again (create or replace function,
   * comment on, grant), `recreate` runs the old `drop` and then the new `create`.
   */
  readonly onChange: 'replace' | 'recreate';
}

export function ddlObject(object: DdlObject): DdlObject {
  return Object.freeze({ ...object, create: Object.freeze([...object.create]), drop: Object.freeze([...object.drop]) });
}
