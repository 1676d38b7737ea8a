import type { Operation } from './operations';

/** What went wrong, as a stable code tests and tools can match on. */
export type PolicyIssueCode =
  | 'invalid_argument'
  | 'rls_disabled'
  | 'missing_access'
  | 'duplicate_access'
  | 'unknown_table'
  | 'empty_rules'
  | 'invalid_operation'
  | 'invalid_persona'
  | 'missing_clause'
  | 'ignored_clause'
  | 'insert_using'
  | 'always_true'
  | 'public_without_reason'
  | 'bare_helper_call'
  | 'column_out_of_scope'
  | 'unknown_column'
  | 'invalid_columns'
  | 'tenant_column_updatable'
  | 'invalid_tenant'
  | 'self_reference'
  | 'policy_recursion'
  | 'arm_without_role'
  | 'name_too_long';

export interface PolicyIssue {
  readonly code: PolicyIssueCode;
  /** The table's display name (`therapy_sessions`, `audit.audit_log`), when the issue concerns one. */
  readonly table?: string;
  readonly operation?: Operation;
  /** Where in the declarations, e.g. `['therapy_sessions', 'rules', 2, 'columns']`. */
  readonly path: readonly (string | number)[];
  /** A complete sentence that names the table (and the operation) itself. */
  readonly message: string;
}

function formatPath(path: readonly (string | number)[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

/** Zod-style listing: one `✖ message` line per issue with its location below. */
export function formatIssues(issues: readonly PolicyIssue[]): string {
  const lines = issues.flatMap((issue) => {
    const at = issue.path.length > 0 ? [`  → at ${formatPath(issue.path)}`] : [];
    return [`✖ ${issue.message}`, ...at];
  });
  const head = issues.length === 1 ? 'Invalid access declaration:' : `Invalid access declarations (${issues.length} issues):`;
  return [head, ...lines].join('\n');
}

/** Every refusal of the policy DSL; `issues` lists all problems found, not only the first. */
export class PolicyDslError extends Error {
  readonly issues: readonly PolicyIssue[];

  constructor(issues: readonly PolicyIssue[]) {
    super(formatIssues(issues));
    this.name = 'PolicyDslError';
    this.issues = Object.freeze([...issues]);
  }
}

/** Throws a single-issue error for a builder called with a wrong argument. */
export function invalidArgument(builder: string, message: string): never {
  throw new PolicyDslError([{ code: 'invalid_argument', path: [builder], message: `${builder}: ${message}` }]);
}
