import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import * as audit from './audit';
import * as billing from './billing';
import * as caseload from './caseload';
import * as chat from './chat';
import * as documentation from './documentation';
import * as files from './files';
import * as goals from './goals';
import * as identity from './identity';
import * as integrations from './integrations';
import * as notifications from './notifications';
import * as people from './people';
import * as scheduling from './scheduling';

/** A domain area of the schema (domain.md's sections): one module of tables, one diagram in docs/schema.md. */
export interface SchemaArea {
  readonly title: string;
  /** One paragraph: what the area is for. */
  readonly summary: string;
  readonly tables: readonly PgTable[];
}

/**
 * The tables of the modules, parents before the tables that reference them (ties by name): a
 * deterministic order (a module namespace's key order differs between loaders) that reads top-down.
 */
function tablesOf(...modules: readonly Record<string, unknown>[]): readonly PgTable[] {
  const left = modules
    .flatMap((m) => Object.values(m).filter((v): v is PgTable => is(v, PgTable)))
    .sort((a, b) => getTableConfig(a).name.localeCompare(getTableConfig(b).name));
  const parents = new Map(left.map((t) => [t, getTableConfig(t).foreignKeys.map((fk) => fk.reference().foreignTable).filter((p) => p !== t)]));
  const ordered: PgTable[] = [];
  while (left.length > 0) {
    const index = left.findIndex((t) => parents.get(t)!.every((p) => !left.includes(p)));
    ordered.push(...left.splice(index === -1 ? 0 : index, 1));
  }
  return Object.freeze(ordered);
}

const area = (title: string, summary: string, ...modules: readonly Record<string, unknown>[]): SchemaArea =>
  Object.freeze({ title, summary, tables: tablesOf(...modules) });

/** The domain areas in the order a newcomer reads them. Every table is in exactly one (tested). */
export const schemaAreas: readonly SchemaArea[] = Object.freeze([
  area(
    'Identity and organisation',
    'The tenant (an organisation), its campuses, one profile per Supabase auth user, and the app roles a user holds in an organisation. Every policy starts from `organization_members`.',
    identity,
  ),
  area(
    'People',
    'Therapists (keyed by their user, shared across organisations), students, guardians, who is whose guardian, and who supervises whom.',
    people,
  ),
  area('Caseload, plans and consent', 'Which therapist serves which student, the service plans (IEP, 504, IFSP) and their required minutes, and consents.', caseload),
  area('Scheduling', 'Session types, recurring series, the sessions themselves, who takes part in them, and blackouts.', scheduling),
  area(
    'Clinical documentation, goals and progress',
    'Session notes (signed notes are immutable), IEP goals, the data points collected in sessions, and progress reports.',
    documentation,
    goals,
  ),
  area('Chat', 'Conversations, who takes part in them, and their messages (Supabase Realtime).', chat),
  area('Files', 'The metadata of every Supabase Storage object: bucket, path (starting with the organisation id), category and visibility.', files),
  area('Billing', 'Billing codes (a shared catalogue with organisation overrides) and the charges of attended, documented sessions.', billing),
  area(
    'Notifications, integrations and audit',
    'In-app notifications, webhook subscriptions with their transactional outbox (delivered to n8n), and the append-only audit log.',
    notifications,
    integrations,
    audit,
  ),
]);
