/** `therapy-db/validators/goals`: the validators of `public.goals`. */
import type { z } from 'zod';
import { rule } from '../rules';
import { goalsColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const goalSchemas = tableSchemas(goalsColumns, {
  server: ['id', 'createdAt'],
  rules: [
    rule({
      constraint: 'goals_target_value_check',
      reads: ['measurementType', 'targetValue'],
      path: 'targetValue',
      message: 'target_value must be between 0 and 100 for a percent_accuracy goal',
      holds: (row) => row.measurementType !== 'percent_accuracy' || row.targetValue === null || (Number(row.targetValue) >= 0 && Number(row.targetValue) <= 100),
    }),
  ],
});
export const goalInsertSchema: (typeof goalSchemas)['insert'] = goalSchemas.insert;
export const goalUpdateSchema: (typeof goalSchemas)['update'] = goalSchemas.update;
export const goalSelectSchema: (typeof goalSchemas)['select'] = goalSchemas.select;
export type GoalInsert = z.output<typeof goalInsertSchema>;
export type GoalInsertInput = z.input<typeof goalInsertSchema>;
export type GoalUpdate = z.output<typeof goalUpdateSchema>;
export type GoalUpdateInput = z.input<typeof goalUpdateSchema>;
export type GoalSelect = z.output<typeof goalSelectSchema>;
