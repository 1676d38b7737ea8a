import type { z } from 'zod';
import { goalObservations, goals, progressReports } from '../schema/goals';
import { nonEmptyRange } from './range';
import { rule, type RowRule } from './rules';
import { defineTable, type RuleRow } from './table';

// ------------------------------------------------------------------ goals
export const goalValidators = defineTable(goals, {
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
export const goalInsertSchema: (typeof goalValidators)['insert'] = goalValidators.insert;
export const goalUpdateSchema: (typeof goalValidators)['update'] = goalValidators.update;
export const goalSelectSchema: (typeof goalValidators)['select'] = goalValidators.select;
export type GoalInsert = z.output<typeof goalInsertSchema>;
export type GoalInsertInput = z.input<typeof goalInsertSchema>;
export type GoalUpdate = z.output<typeof goalUpdateSchema>;
export type GoalUpdateInput = z.input<typeof goalUpdateSchema>;
export type GoalSelect = z.output<typeof goalSelectSchema>;

// ------------------------------------------------------------------ goal_observations
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

export const goalObservationValidators = defineTable(goalObservations, {
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
export const goalObservationInsertSchema: (typeof goalObservationValidators)['insert'] = goalObservationValidators.insert;
export const goalObservationUpdateSchema: (typeof goalObservationValidators)['update'] = goalObservationValidators.update;
export const goalObservationSelectSchema: (typeof goalObservationValidators)['select'] = goalObservationValidators.select;
export type GoalObservationInsert = z.output<typeof goalObservationInsertSchema>;
export type GoalObservationInsertInput = z.input<typeof goalObservationInsertSchema>;
export type GoalObservationUpdate = z.output<typeof goalObservationUpdateSchema>;
export type GoalObservationUpdateInput = z.input<typeof goalObservationUpdateSchema>;
export type GoalObservationSelect = z.output<typeof goalObservationSelectSchema>;

// ------------------------------------------------------------------ progress_reports
export const progressReportValidators = defineTable(progressReports, {
  server: ['id'],
  columns: {
    reportingPeriod: (s) => s.check(nonEmptyRange('daterange')),
  },
  rules: [
    rule({
      constraint: 'progress_reports_finalized_check',
      reads: ['status', 'finalizedAt'],
      path: 'finalizedAt',
      message: 'finalized_at is required unless status is draft',
      holds: (row) => row.status === 'draft' || row.finalizedAt !== null,
    }),
    rule({
      constraint: 'progress_reports_shared_check',
      reads: ['status', 'sharedWithGuardiansAt'],
      path: 'sharedWithGuardiansAt',
      message: 'shared_with_guardians_at is required when status is shared, and only then',
      holds: (row) => (row.status === 'shared') === (row.sharedWithGuardiansAt !== null),
    }),
  ],
});
export const progressReportInsertSchema: (typeof progressReportValidators)['insert'] = progressReportValidators.insert;
export const progressReportUpdateSchema: (typeof progressReportValidators)['update'] = progressReportValidators.update;
export const progressReportSelectSchema: (typeof progressReportValidators)['select'] = progressReportValidators.select;
export type ProgressReportInsert = z.output<typeof progressReportInsertSchema>;
export type ProgressReportInsertInput = z.input<typeof progressReportInsertSchema>;
export type ProgressReportUpdate = z.output<typeof progressReportUpdateSchema>;
export type ProgressReportUpdateInput = z.input<typeof progressReportUpdateSchema>;
export type ProgressReportSelect = z.output<typeof progressReportSelectSchema>;
