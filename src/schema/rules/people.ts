import { columnName as c, exclusionConstraint, type DdlObject } from '../../ddl';
import { supervisionAssignments as s } from '../people';

export const peopleRules: readonly DdlObject[] = [
  // The same supervisor/supervisee pair cannot have two overlapping supervision periods.
  exclusionConstraint(s, {
    name: 'supervision_assignments_period_overlap_excl',
    elements: `${c(s.superviseeId)} with =, ${c(s.supervisorId)} with =, ${c(s.activeDuring)} with &&`,
  }),
];
