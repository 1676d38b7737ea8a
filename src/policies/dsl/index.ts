/**
 * The typed RLS-policy DSL. Describe first, compile second: `tableAccess` builds plain immutable
 * data (who may do what on which rows); small compilers turn it into Drizzle policies, grants, the
 * access-matrix document and the test matrix. See docs/policies.md.
 */

// vocabulary
export { MEMBER_ROLES, PERSONAS, POLICY_ROLES, personasCovering, policyRoleOf, type MemberRole, type Persona, type PolicyRole } from './personas';
export { OPERATIONS, type Operation } from './operations';

// predicates
export {
  always,
  and,
  anyOf,
  col,
  eq,
  exists,
  gt,
  gte,
  inList,
  isNotNull,
  isNull,
  key,
  lit,
  lt,
  lte,
  ne,
  noneOf,
  not,
  or,
  unsafeRaw,
  type LiteralOf,
  type Operand,
  type ScopeOf,
} from './expr';
export { app, auth } from './helpers';
export type {
  AndNode,
  AnyNode,
  ArrayHelper,
  ColumnNode,
  ComparisonNode,
  ConstantNode,
  ExistsNode,
  ExprNode,
  HelperName,
  HelperNode,
  InListNode,
  Key,
  KeyHelper,
  KeyNode,
  LiteralNode,
  NoneNode,
  NotNode,
  NullTestNode,
  OrNode,
  Predicate,
  PredicateNode,
  RawNode,
  TableRef,
  Value,
  ValueNode,
} from './nodes';
export { renderPredicate, renderSql } from './render';

// declarations
export { allow, type PredicateInput, type RuleContext, type RuleOptions, type RuleSpec } from './rule';
export { noClientAccess, tableAccess, type AccessRule, type TableAccess, type TableAccessDeclaration } from './access';
export type { AnyTable, ColumnKey, ColumnRefs, TableColumn } from './table';
export { policyName, tenantPolicyName } from './names';

// validation
export { PolicyDslError, type PolicyIssue, type PolicyIssueCode } from './errors';
export { accessIssues, validateAccess, type SchemaTables } from './validate';
export { establishesRole, personasOfHelper, personasServedBy, roleGuarantees } from './roles';

// compilers
export { planPolicies, type PolicyPlan } from './plan';
export { factorSharedConjuncts } from './factor';
export { missingPolicyExports, policiesByName, toDrizzlePolicies } from './to-drizzle';
export { grantStatements, privilegesOf, toGrants, type RolePrivileges } from './to-grants';
export {
  toAccessMatrix,
  type AccessMatrix,
  type AccessMatrixPolicy,
  type AccessMatrixRow,
  type AccessMatrixRule,
  type AccessMatrixTable,
} from './access-matrix';
export { renderAccessMatrixMarkdown, type AccessMatrixMarkdownOptions } from './access-matrix-markdown';
export { toTestMatrix, type TestMatrixCase } from './test-matrix';
