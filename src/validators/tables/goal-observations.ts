/** `therapy-db/validators/goal-observations`: the validators of `public.goal_observations`. */
import type { z } from 'zod';
import type { goalObservations } from '../../schema/goals';
import { rule, type RowRule } from '../rules';
import { goalObservationsColumns } from '../described-tables';
import { tableSchemas, type RuleRow } from '../table';

/**
 * `trials_total is null or (trials_total > 0 and trials_correct between 0 and trials_total)`, in
 * SQL's logic: with trials_total positive, a missing trials_correct is unknown, which passes.
 */
const trialsInRange: RowRule<'trialsCorrect' | 'trialsTotal', RuleRow<typeof goalObservations>> = {
  constraint: 'goal_observations_trials_check',
  reads: ['trialsCorrect', 'trialsTotal'],
  check: ({ trialsCorrect, trialsTotal }) => {
    if (trialsTotal === null) return [];
    if (trialsTotal <= 0) return [{ path: 'trialsTotal', message: 'trials_total must be greater than 0' }];
    if (trialsCorrect === null) return [];
    if (trialsCorrect < 0) return [{ path: 'trialsCorrect', message: 'trials_correct must not be negative' }];
    if (trialsCorrect > trialsTotal) return [{ path: 'trialsCorrect', message: 'trials_correct must not exceed trials_total' }];
    return [];
  },
};

export const goalObservationSchemas = tableSchemas(goalObservationsColumns, {
  server: ['id'],
  rules: [
    trialsInRange,
    rule({
      constraint: 'goal_observations_measurement_check',
      reads: ['trialsTotal', 'value'],
      path: 'value',
      message: 'value is required when trials_total is not given (an observation needs a measurement)',
      holds: (row) => row.trialsTotal !== null || row.value !== null,
    }),
  ],
});
export const goalObservationInsertSchema: (typeof goalObservationSchemas)['insert'] = goalObservationSchemas.insert;
export const goalObservationUpdateSchema: (typeof goalObservationSchemas)['update'] = goalObservationSchemas.update;
export const goalObservationSelectSchema: (typeof goalObservationSchemas)['select'] = goalObservationSchemas.select;
export type GoalObservationInsert = z.output<typeof goalObservationInsertSchema>;
export type GoalObservationInsertInput = z.input<typeof goalObservationInsertSchema>;
export type GoalObservationUpdate = z.output<typeof goalObservationUpdateSchema>;
export type GoalObservationUpdateInput = z.input<typeof goalObservationUpdateSchema>;
export type GoalObservationSelect = z.output<typeof goalObservationSelectSchema>;
