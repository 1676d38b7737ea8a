import type { DdlObject, DdlPhase } from './object';

/** The committed record of the objects the migrations have created so far. */
export interface DdlSnapshot {
  readonly version: 1;
  readonly objects: readonly DdlObject[];
}

export const emptyDdlSnapshot: DdlSnapshot = { version: 1, objects: [] };

export interface DdlChange {
  readonly action: 'create' | 'replace' | 'recreate' | 'drop';
  readonly key: string;
}

export interface DdlDiff {
  readonly changes: readonly DdlChange[];
  /** The statements that migrate a database from `previous` to `next`, in order. */
  readonly statements: readonly string[];
}

function same(a: DdlObject, b: DdlObject): boolean {
  return a.phase === b.phase && JSON.stringify(a.create) === JSON.stringify(b.create) && JSON.stringify(a.drop) === JSON.stringify(b.drop);
}

/** Refuses two declarations of one object, which would make the diff ambiguous. */
export function assertUniqueKeys(objects: readonly DdlObject[]): void {
  const seen = new Set<string>();
  for (const object of objects) {
    if (seen.has(object.key)) throw new Error(`database object declared twice: ${object.key}`);
    seen.add(object.key);
  }
}

/**
 * Diffs one phase of declared objects against the snapshot: drops (removed and recreated objects,
 * newest first) run before creates (new, replaced and recreated objects, in declaration order).
 */
export function diffDdl(previous: readonly DdlObject[], next: readonly DdlObject[], phase: DdlPhase): DdlDiff {
  assertUniqueKeys(next);
  const before = previous.filter((o) => o.phase === phase);
  const after = next.filter((o) => o.phase === phase);
  const beforeByKey = new Map(before.map((o) => [o.key, o]));
  const afterKeys = new Set(after.map((o) => o.key));
  const changes: DdlChange[] = [];
  const drops: string[] = [];
  const creates: string[] = [];

  for (const old of [...before].reverse()) {
    if (!afterKeys.has(old.key)) {
      changes.push({ action: 'drop', key: old.key });
      drops.push(...old.drop);
    }
  }
  for (const object of after) {
    const old = beforeByKey.get(object.key);
    if (!old) {
      changes.push({ action: 'create', key: object.key });
      creates.push(...object.create);
    } else if (!same(old, object)) {
      const action = object.onChange === 'recreate' ? 'recreate' : 'replace';
      changes.push({ action, key: object.key });
      if (action === 'recreate') drops.unshift(...old.drop);
      creates.push(...object.create);
    }
  }
  return { changes, statements: [...drops, ...creates] };
}

/** The snapshot after migrating: the objects of `phase` from `next`, the other phase kept from `previous`. */
export function advanceSnapshot(previous: DdlSnapshot, next: readonly DdlObject[], phase: DdlPhase): DdlSnapshot {
  const kept = previous.objects.filter((o) => o.phase !== phase);
  const taken = next.filter((o) => o.phase === phase);
  return { version: 1, objects: phase === 'pre' ? [...taken, ...kept] : [...kept, ...taken] };
}

/**
 * The statements of a custom migration for one phase of objects: a prelude that creates functions
 * first turns off body checks, because an RLS helper may read a table the next migration creates
 * (its body is checked when it is first called).
 */
export function phaseStatements(phase: DdlPhase, statements: readonly string[], objects: readonly DdlObject[]): string[] {
  const preamble = phase === 'pre' && objects.some((o) => o.kind === 'function') ? ['set local check_function_bodies = off'] : [];
  return [...preamble, ...statements];
}
