import type { Token } from '../sql';

/** The rules of the safety lint; each can be allowed for one statement with a marker. */
export const SAFETY_RULES = [
  'drop-table',
  'drop-column',
  'alter-column-type',
  'add-not-null',
  'rename',
  'create-index',
  'add-foreign-key',
  'add-check',
  'drop-policy',
  'lock-timeout',
  'no-transaction',
  'truncate',
  'volatile-default',
  'do-block',
  'dml-without-where',
  'cluster',
  'disable-rls',
  'stale-access-sets',
  // The trace's rule (check --trace): a statement that reads an existing table under a lock that
  // blocks writes. Allowed only where PostgreSQL has no other way, e.g. an exclusion constraint,
  // which cannot be built concurrently nor adopt a prebuilt index.
  'scan-under-lock',
] as const;

export type SafetyRule = (typeof SAFETY_RULES)[number];

/**
 * `-- therapy-db: allow drop-column (reason: column unused since v2, data archived)` on the line
 * before a statement allows that rule for the statement. Several rules: `allow rename, drop-column (reason: …)`.
 */
export interface AllowMarker {
  readonly line: number;
  readonly rules: readonly SafetyRule[];
  readonly reason: string | undefined;
  /** Why the marker is not valid (no reason, unknown rule, malformed); undefined when it is. */
  readonly problem: string | undefined;
}

const PREFIX = /^\s*therapy-db\s*:/i;
/** `-- therapy-db: no-transaction`: a directive to the runner (see `NO_TRANSACTION_MARKER`), not an allow marker. */
const DIRECTIVE = /^\s*therapy-db\s*:\s*no-transaction\b/i;
const MARKER = /^\s*therapy-db\s*:\s*allow\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*(?:\(\s*reason\s*:\s*(.*?)\s*\))?\s*$/i;

export const MARKER_SYNTAX = '-- therapy-db: allow <rule> (reason: <why this is safe>)';

/** The allow markers among a statement's comments. */
export function readAllowMarkers(comments: readonly Token[]): AllowMarker[] {
  const markers: AllowMarker[] = [];
  for (const comment of comments) {
    if (!PREFIX.test(comment.value) || DIRECTIVE.test(comment.value)) continue;
    const match = MARKER.exec(comment.value);
    if (!match) {
      markers.push({ line: comment.line, rules: [], reason: undefined, problem: `malformed marker; write \`${MARKER_SYNTAX}\`` });
      continue;
    }
    const names = match[1]!.split(',').map((r) => r.trim().toLowerCase());
    const unknown = names.filter((r) => !(SAFETY_RULES as readonly string[]).includes(r));
    const rules = names.filter((r): r is SafetyRule => (SAFETY_RULES as readonly string[]).includes(r));
    const reason = match[2]?.trim() || undefined;
    const problem =
      unknown.length > 0
        ? `unknown rule${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} (rules: ${SAFETY_RULES.join(', ')})`
        : reason === undefined
          ? `the marker gives no reason; write \`${MARKER_SYNTAX}\``
          : undefined;
    markers.push({ line: comment.line, rules, reason, problem });
  }
  return markers;
}
