import { quoteLiteral } from '../ddl';
import { PERSONAS, type TableAccess } from '../policies';
import { personaLabel, type PolicyWorldIds } from './world';
import { crossTenantProbes, crossTenantTopicProbes, cutOffProbes, guardianCutOffProbes, matrixProbes, type IdSource, type Probe } from './plan';

/**
 * The access-matrix probes as pgTAP: one file per table (and one for `realtime.messages`, the
 * topics), each a transaction that writes the policy world (the fixture and its extras, as the
 * owner), then runs every persona's probes of that table — organisation A's rows as the matrix
 * declares them, allowed and denied; the cross-tenant probe against organisation B's rows and
 * topics; A's members removed, suspended, left or deactivated against A's own rows and topics; the
 * guardian cut off their child against the child's team conversation — and rolls everything back.
 * The same probes the vitest suite runs (`src/probes/plan.ts`). Runs with `pg_prove` against any
 * migrated database, and in `supabase test db`.
 *
 * Reads run under `set local role` + `request.jwt.claims` as pgTAP assertions (`isnt_empty`,
 * `is_empty`, `throws_ok … '42501'`). A write changes rows later probes read, so each runs through
 * `pg_temp.therapy_db_attempt(setup, action)`, which writes the probe's own rows as the owner, runs
 * the write as the persona, and rolls both back, returning what happened (`1 row(s)`, `error 42501: …`)
 * for the assertion. (pgTAP counts its tests in the transaction, so a savepoint rolled back around a
 * test would rewind its count.)
 */

export interface PgTapSuiteInput {
  readonly access: readonly TableAccess[];
  readonly world: PolicyWorldIds;
  /** The statements writing the world (fixture first), as the owner. */
  readonly worldStatements: readonly string[];
  readonly newId: IdSource;
  /** Who generated it, for the header, e.g. `therapy-db 0.2.0`. */
  readonly generator: string;
}

export interface PgTapFile {
  /** e.g. `therapy_db_rls_students.test.sql`. */
  readonly name: string;
  readonly table: string;
  readonly tests: number;
  readonly text: string;
}

/** The prefix of every exported file (so an export can tell its own files from the team's). */
export const PGTAP_FILE_PREFIX = 'therapy_db_rls_';

/** `$tag$…$tag$`, refusing text that contains the tag. */
function dollar(tag: string, text: string): string {
  if (text.includes(`$${tag}$`)) throw new Error(`pgTAP export: $${tag}$ appears in ${text.slice(0, 80)}`);
  return `$${tag}$${text}$${tag}$`;
}

const ATTEMPT = `-- therapy_db_attempt(setup, action): the probe's own rows written as the owner (no role, no JWT),
-- then the action as the persona set for the probe; both rolled back. Returns 'N row(s)', or
-- 'error SQLSTATE: message', or 'setup error: message' (a bug in the probe, never a pass).
create function pg_temp.therapy_db_attempt(setup text[], action text) returns text
language plpgsql as $attempt$
declare
  persona_role text := pg_catalog.current_setting('role');
  persona_claims text := coalesce(pg_catalog.current_setting('request.jwt.claims', true), '');
  statement text;
  affected bigint;
  outcome text;
begin
  begin
    perform pg_catalog.set_config('role', 'none', true);
    perform pg_catalog.set_config('request.jwt.claims', '', true);
    foreach statement in array setup loop
      begin
        execute statement;
      exception when others then
        raise exception using errcode = 'TDBSE', message = sqlerrm;
      end;
    end loop;
    perform pg_catalog.set_config('role', persona_role, true);
    perform pg_catalog.set_config('request.jwt.claims', persona_claims, true);
    execute action;
    get diagnostics affected = row_count;
    raise exception using errcode = 'TDBOK', message = affected || ' row(s)';
  exception
    when sqlstate 'TDBOK' then outcome := sqlerrm;
    when sqlstate 'TDBSE' then outcome := 'setup error: ' || sqlerrm;
    when others then outcome := 'error ' || sqlstate || ': ' || sqlerrm;
  end;
  return outcome;
end
$attempt$;`;

/** The pgTAP assertion of one probe (its role and claims are set by its persona's block). */
function assertion(probe: Probe): string {
  const title = quoteLiteral(probe.because.length > 0 && probe.expect === 'allowed-no-rows' ? `${probe.title} (${probe.because.at(-1)})` : probe.title);
  // A read that needs the owner's statements first (a member cut off, a topic joined) is an attempt too.
  if (probe.operation === 'select' && probe.setup.length === 0) {
    const query = dollar('probe', probe.action);
    switch (probe.expect) {
      case 'rows':
        return `select isnt_empty(${query}, ${title});`;
      case 'allowed-no-rows':
        return `select is_empty(${query}, ${title});`;
      default:
        // Without the table privilege the read is refused; with it, the policies must return nothing.
        return probe.privileged ? `select is_empty(${query}, ${title});` : `select throws_ok(${query}, '42501', null, ${title});`;
    }
  }
  const setup = probe.setup.length === 0 ? "'{}'::text[]" : `array[\n    ${probe.setup.map((s) => dollar('setup', s)).join(',\n    ')}\n  ]`;
  const attempt = `pg_temp.therapy_db_attempt(${setup}, ${dollar('probe', probe.action)})`;
  switch (probe.expect) {
    case 'one-row':
      return `select is(${attempt}, '1 row(s)', ${title});`;
    case 'rows':
      return `select matches(${attempt}, '^[1-9][0-9]* row\\(s\\)$', ${title});`;
    case 'refused':
      return `select matches(${attempt}, '^error 42501: ', ${title});`;
    case 'nothing':
      return `select matches(${attempt}, '^(0 row\\(s\\)$|error 42501: )', ${title});`;
    case 'refused-or-not-member':
      return `select matches(${attempt}, '^error (42501: |23503: .*_member\\)$)', ${title});`;
    case 'refused-or-missing-reference':
      return `select matches(${attempt}, '^error (42501: |23503: .*_fkey\\)$)', ${title});`;
    case 'allowed-no-rows':
      return `select is(${attempt}, '0 row(s)', ${title});`;
  }
}

function personaBlock(probes: readonly Probe[]): string {
  const first = probes[0]!;
  const claims = JSON.stringify(first.claims);
  return [
    `-- ${personaLabel(first.persona)}: role ${first.role}, claims ${claims}`,
    `set local role ${first.role};`,
    `select set_config('request.jwt.claims', ${quoteLiteral(claims)}, true);`,
    ...probes.map((p) => `-- ${p.id}: ${p.expect}${p.because.length > 0 && p.expect !== 'allowed-no-rows' ? ` (${p.because.join('; ')})` : ''}\n${assertion(p)}`),
    'reset role;',
  ].join('\n');
}

/** What a file's probes cover, for its header comment. */
function scopeOf(table: string): string {
  if (table === 'realtime.messages') {
    return [
      "every persona on organisation B's realtime topics, A's members removed, suspended, left or",
      "-- deactivated on A's topics, and a guardian cut off their child on the child's team topics:",
      '-- nothing received, nothing sent',
    ].join('\n');
  }
  return [
    "every persona × select, insert, update and delete on organisation A's rows, allowed or",
    "-- denied as the matrix declares; the cross-tenant probe against organisation B's rows; A's members",
    "-- removed, suspended, left or deactivated against A's own rows (and, for the chat tables, a guardian cut",
    "-- off their child against the child's team conversation)",
  ].join('\n');
}

/** The suite: one file per table, in table order. Deterministic for a given input. */
export function pgTapSuite(input: PgTapSuiteInput): PgTapFile[] {
  const options = { access: input.access, world: input.world, newId: input.newId };
  const probes = [
    ...matrixProbes(options),
    ...crossTenantProbes(options),
    ...crossTenantTopicProbes(options),
    ...cutOffProbes(options),
    ...guardianCutOffProbes(options),
  ];
  const tables = [...new Set(probes.map((p) => p.table))].sort();
  return tables.map((table) => {
    const ofTable = probes.filter((p) => p.table === table);
    const blocks = PERSONAS.map((persona) => ofTable.filter((p) => p.persona === persona))
      .filter((list) => list.length > 0)
      .map(personaBlock);
    const text = `-- Generated by \`therapy-db export pgtap\` (${input.generator}) from the declared access matrix
-- (docs/access-matrix.md), the same probes the package's vitest suite runs. Do not edit: export
-- again after upgrading therapy-db.
--
-- ${table}: ${scopeOf(table)}. The
-- fixture is written inside this transaction and rolled back with it.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = extensions, public;
select plan(${ofTable.length});

-- The world: organisations A and B with every persona (the demo fixture) and the policy extras.
${input.worldStatements.map((s) => `${s.trim()};`).join('\n')}

${ATTEMPT}

${blocks.join('\n\n')}

select * from finish();
rollback;
`;
    return { name: `${PGTAP_FILE_PREFIX}${table.replace(/\W/g, '_')}.test.sql`, table, tests: ofTable.length, text };
  });
}
