/**
 * How big a generated data set is. Scale 1 is a mid-sized customer base: 10 organisations, 200
 * therapists, 5,000 students, about 100,000 sessions and 300,000 chat messages; scale n multiplies
 * the number of organisations (each keeps the size of a real district), so per-user result sizes
 * stay constant while the tables grow — which is what an RLS benchmark needs. Below scale 1 the
 * organisations shrink instead (scale 0.01 is one small organisation).
 */
export interface SeedPlan {
  readonly seed: string;
  readonly scale: number;
  /** Monday 00:00 UTC of "this week": 16 weeks of history before it, 4 weeks of schedule from it. */
  readonly anchor: Date;
  readonly organizations: readonly OrgPlan[];
}

export interface OrgPlan {
  readonly index: number;
  readonly therapists: number;
  readonly students: number;
  readonly schools: number;
  readonly messages: number;
}

export const BASE = {
  organizations: 10,
  therapists: 200,
  students: 5_000,
  schools: 100,
  messages: 300_000,
} as const;

/** Weeks of sessions before the anchor week and from it (the anchor week is "this week"). */
export const WEEKS_PAST = 16;
export const WEEKS_AHEAD = 4;
/** Slots a therapist fills per week (of the 35-slot grid): 25 × 20 weeks = 500 sessions. */
export const SLOTS_PER_WEEK = 25;

/** The default anchor: a fixed Monday, so a data set is the same whenever it is generated. */
export const DEFAULT_ANCHOR = '2026-11-23';
export const DEFAULT_SEED = 'therapy-db';

/** Splits `total` into `parts` near-equal integers (the first ones get the remainder). */
function split(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const extra = total - base * parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

export function parseAnchor(value: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Error(`--anchor must be a date (YYYY-MM-DD), got "${value}"`);
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) throw new Error(`--anchor: invalid date "${value}"`);
  if (date.getUTCDay() !== 1) throw new Error(`--anchor must be a Monday, got ${value}`);
  return date;
}

export function makePlan(options: { scale: number; seed?: string; anchor?: string }): SeedPlan {
  const { scale } = options;
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`--scale must be a positive number, got ${scale}`);
  if (scale > 1000) throw new Error(`--scale ${scale} is beyond what this generator is meant for (at most 1000)`);
  const orgCount = Math.max(1, Math.round(BASE.organizations * scale));
  const therapists = split(Math.max(orgCount * 4, Math.round(BASE.therapists * scale)), orgCount);
  const students = split(Math.max(orgCount * 12, Math.round(BASE.students * scale)), orgCount);
  const schools = split(Math.max(orgCount * 2, Math.round(BASE.schools * scale)), orgCount);
  const messages = split(Math.max(orgCount * 100, Math.round(BASE.messages * scale)), orgCount);
  return {
    seed: options.seed ?? DEFAULT_SEED,
    scale,
    anchor: parseAnchor(options.anchor ?? DEFAULT_ANCHOR),
    organizations: Array.from({ length: orgCount }, (_, index) => ({
      index,
      therapists: therapists[index]!,
      students: students[index]!,
      schools: schools[index]!,
      messages: messages[index]!,
    })),
  };
}

/** Expected totals, for the progress bar and the docs (sessions and messages are approximate). */
export function planTotals(plan: SeedPlan) {
  const sum = (f: (o: OrgPlan) => number) => plan.organizations.reduce((acc, o) => acc + f(o), 0);
  return {
    organizations: plan.organizations.length,
    therapists: sum((o) => o.therapists),
    students: sum((o) => o.students),
    sessions: sum((o) => o.therapists) * SLOTS_PER_WEEK * (WEEKS_PAST + WEEKS_AHEAD),
    messages: sum((o) => o.messages),
  };
}
