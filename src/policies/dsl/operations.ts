/** The commands a rule can allow; each compiles to its own policy (never `for all`). */
export const OPERATIONS = ['select', 'insert', 'update', 'delete'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** One-letter abbreviations used in the access matrix, in CRUD order. */
export const OPERATION_LETTERS: Readonly<Record<Operation, string>> = Object.freeze({
  insert: 'C',
  select: 'R',
  update: 'U',
  delete: 'D',
});

/** The matrix lists operations in CRUD order. */
export const CRUD_ORDER: readonly Operation[] = Object.freeze(['insert', 'select', 'update', 'delete'] as const);

/** Which policy clauses Postgres evaluates for each command. */
export const CLAUSES: Readonly<Record<Operation, { readonly using: boolean; readonly withCheck: boolean }>> = Object.freeze({
  select: Object.freeze({ using: true, withCheck: false }),
  insert: Object.freeze({ using: false, withCheck: true }),
  update: Object.freeze({ using: true, withCheck: true }),
  delete: Object.freeze({ using: true, withCheck: false }),
});

export function isOperation(value: unknown): value is Operation {
  return typeof value === 'string' && (OPERATIONS as readonly string[]).includes(value);
}
