import { columnName as c, exclusionConstraint, type DdlObject } from '../../ddl';
import { progressReports as pr } from '../goals';

export const goalRules: readonly DdlObject[] = [
  // One progress report per goal and reporting period.
  exclusionConstraint(pr, {
    name: 'progress_reports_period_overlap_excl',
    elements: `${c(pr.goalId)} with =, ${c(pr.reportingPeriod)} with &&`,
  }),
];
