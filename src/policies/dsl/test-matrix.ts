import type { TableAccess } from './access';
import { byTableName, toAccessMatrix } from './access-matrix';
import { OPERATIONS, type Operation } from './operations';
import { PERSONAS, policyRoleOf, type Persona, type PolicyRole } from './personas';
import { displayName } from './table';

/** One cell of the test matrix: whether `persona` may perform `operation` on some rows of `table`. */
export interface TestMatrixCase {
  /** `therapy_sessions › therapist › update`, stable, for test titles. */
  readonly id: string;
  readonly table: string;
  readonly persona: Persona;
  readonly operation: Operation;
  readonly role: PolicyRole;
  readonly expected: 'allowed' | 'denied';
  /** The rules that allow it (indexes into the table's `rules`); empty when denied. */
  readonly rules: readonly number[];
  /** Their summaries, for assertion messages. */
  readonly because: readonly string[];
  /** Update when allowed: the updatable columns (union over the rules), or `'all'`. */
  readonly columns: readonly string[] | 'all' | undefined;
}

/**
 * Every table × persona × operation with the expected verdict, for tests to iterate over
 * (`describe.each(toTestMatrix(all))`). `allowed` means some rows are reachable; the fixture decides
 * which rows a test expects to see. Sorted by table, persona, operation.
 */
export function toTestMatrix(accessList: readonly TableAccess[]): TestMatrixCase[] {
  const { rows } = toAccessMatrix(accessList);
  const cases: TestMatrixCase[] = [];
  for (const access of byTableName(accessList)) {
    const table = displayName(access.table);
    for (const persona of PERSONAS) {
      for (const operation of OPERATIONS) {
        const matching = rows.filter((row) => row.table === table && row.persona === persona && row.operation === operation);
        let columns: TestMatrixCase['columns'];
        if (matching.length > 0 && operation === 'update') {
          const lists = matching.map((row) => row.columns);
          columns = lists.some((list) => list === 'all' || list === undefined) ? 'all' : [...new Set(lists.flatMap((list) => (Array.isArray(list) ? list : [])))];
        }
        cases.push(
          Object.freeze({
            id: `${table} › ${persona} › ${operation}`,
            table,
            persona,
            operation,
            role: policyRoleOf(persona),
            expected: matching.length > 0 ? 'allowed' : 'denied',
            rules: Object.freeze(matching.map((row) => row.rule)),
            because: Object.freeze(matching.map((row) => row.summary)),
            columns: columns === undefined || columns === 'all' ? columns : Object.freeze(columns),
          }),
        );
      }
    }
  }
  return cases;
}
