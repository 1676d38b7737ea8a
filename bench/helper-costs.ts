import type postgres from 'postgres';
import { asUser } from '../src/testing';
import { personaIdentity } from './hot-paths';
import type { HelperEvaluation } from './plans';
import { summarize } from './stats';
import { timeQuery } from './timing';

/**
 * What one evaluation of an RLS helper costs, measured the way a hot path pays for it: as the
 * persona, in its own transaction, client round trip. Three statements are interleaved —
 *
 * - `select 1 as x` (the baseline),
 * - `select (select <call>) as x` (the helper once: the transaction's first PL/pgSQL call, which
 *   also pays for opening the executor state PL/pgSQL keeps per transaction),
 * - `select (select <call>) as x, (select <call>) as y` (twice: the second is what each further
 *   initPlan of a statement costs) —
 *
 * and the differences of their medians are reported. Noise is a few microseconds; the numbers are
 * for explaining a hot path's RLS overhead, not targets.
 */

export interface HelperCostRequest {
  readonly call: string;
  /** The persona (`auth.uid()`) who evaluates it: one whose hot path executed it. */
  readonly userId: string;
}

export interface HelperCost extends HelperCostRequest {
  /** p50(once) − p50(baseline), ms. */
  readonly firstMs: number;
  /** p50(twice) − p50(once), ms. */
  readonly repeatMs: number;
}

const STATEMENTS = {
  base: () => 'select 1 as x',
  once: (call: string) => `select (select ${call}) as x`,
  twice: (call: string) => `select (select ${call}) as x, (select ${call}) as y`,
} as const;
type Kind = keyof typeof STATEMENTS;

async function timeStatement(sql: postgres.Sql, userId: string, text: string, prepare: boolean): Promise<number> {
  return asUser(sql, personaIdentity(userId), async (tx) => (await timeQuery(tx, text, [], prepare)).ms);
}

export async function measureHelperCosts(
  sql: postgres.Sql,
  requests: readonly HelperCostRequest[],
  options: { iterations: number; warmup: number; prepare: boolean },
): Promise<HelperCost[]> {
  const costs: HelperCost[] = [];
  for (const request of requests) {
    const samples: Record<Kind, number[]> = { base: [], once: [], twice: [] };
    const kinds: Kind[] = ['base', 'once', 'twice'];
    for (let i = 0; i < options.warmup + options.iterations; i++) {
      // rotate the order so no statement always runs right after another
      for (let k = 0; k < kinds.length; k++) {
        const kind = kinds[(i + k) % kinds.length]!;
        const ms = await timeStatement(sql, request.userId, STATEMENTS[kind](request.call), options.prepare);
        if (i >= options.warmup) samples[kind].push(ms);
      }
    }
    const p50 = (kind: Kind) => summarize(samples[kind]).p50;
    costs.push({ ...request, firstMs: p50('once') - p50('base'), repeatMs: p50('twice') - p50('once') });
  }
  return costs;
}

/**
 * Roughly what a statement spends in its helpers: the first evaluation at its first-call price,
 * every other at its repeat price. Undefined when a call was not measured.
 */
export function estimateHelperMs(evaluations: readonly HelperEvaluation[], costs: readonly HelperCost[]): number | undefined {
  let total = 0;
  let firstSurcharge = 0;
  for (const evaluation of evaluations) {
    const cost = costs.find((c) => c.call === evaluation.call);
    if (!cost) return undefined;
    total += evaluation.count * Math.max(0, cost.repeatMs);
    firstSurcharge = Math.max(firstSurcharge, cost.firstMs - cost.repeatMs);
  }
  return evaluations.length === 0 ? 0 : total + firstSurcharge;
}
