import type { DdlObject } from '../../ddl';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { allTables } from '../catalog';
import * as t from '../tables';
import { auditRules, auditTriggers } from './audit';
import { billingRules } from './billing';
import { caseloadRules } from './caseload';
import { chatRules } from './chat';
import { touchUpdatedAt, touchTriggers } from './common';
import { documentationRules } from './documentation';
import { goalRules } from './goals';
import { identityRules } from './identity';
import { integrationRules } from './integrations';
import { memberRules } from './members';
import { peopleRules } from './people';
import { schedulingRules } from './scheduling';
import { serverTimeRules } from './server-time';
import { tenancyRules } from './tenancy';

export { checkTherapistAvailability, findConflicts } from './scheduling';
export { webhookAllowedHostsSetting } from './integrations';

/** Tables whose every change is written to audit.audit_log. */
export const auditedTables = [
  t.organizationMembers, t.students, t.guardians, t.studentGuardians, t.supervisionAssignments,
  t.caseloadAssignments, t.servicePlans, t.serviceMandates, t.consents, t.therapySessions,
  t.sessionParticipants, t.sessionNotes, t.goals, t.goalObservations, t.progressReports,
  t.documents, t.serviceCharges,
] as const;

/** Database rules (exclusion constraints, trigger functions and triggers, query functions), in dependency order. */
export const schemaRules: readonly DdlObject[] = [
  touchUpdatedAt,
  // Before the rules whose functions call app.require_member.
  ...memberRules,
  ...touchTriggers(allTables.filter((table) => getTableConfig(table).columns.some((c) => c.name === 'updated_at'))),
  ...identityRules,
  ...peopleRules,
  ...caseloadRules,
  ...schedulingRules,
  ...documentationRules,
  ...goalRules,
  ...chatRules,
  ...billingRules,
  ...tenancyRules,
  ...integrationRules,
  ...serverTimeRules,
  ...auditRules,
  ...auditTriggers(auditedTables),
];
