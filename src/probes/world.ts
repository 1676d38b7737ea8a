import type { Fixture, OrgFixture } from '../demo';
import { stableId } from '../demo';
import type { Persona } from '../policies';
import { at, dateFromToday, dateRange, renderValue, thisYear, type RowValue } from '../rows';

/**
 * The policy probes' world: the demo fixture (organisations A and B with every persona) plus a few
 * rows so that every persona of the access matrix has something to see where the matrix says it
 * may (see `addPolicyExtras`). Written as the database owner, like the fixture; as SQL statements,
 * so the test suite and the exported pgTAP files write the same rows.
 */

/** SQL text with each interpolated value rendered as a literal (or a time expression). */
function stmt(strings: TemplateStringsArray, ...values: RowValue[]): string {
  return strings.reduce((text, part, i) => text + part + (i < values.length ? renderValue(values[i]!) : ''), '');
}

/** Users that are not in the fixture: no membership at all, and a platform administrator. */
export interface GlobalUsers {
  readonly self: string;
  readonly platformAdmin: string;
}

/** Extra ids per organisation. */
export interface OrgExtras {
  /** A `member`: an active membership (role student) with no student record, so no role rule applies. */
  readonly member: string;
  /** The supervisee's student (s2): plan, goal, report, document. */
  readonly planS2: string;
  readonly goalS2: string;
  readonly goalS1: string;
  readonly planS1: string;
  readonly sessionTypeId: string;
  readonly documentIep: string;
  /** A chat attachment in the group conversation. */
  readonly chatDocument: string;
  /** A group conversation (about no student) of everyone of the organisation, the bare member included. */
  readonly groupConversationId: string;
  readonly billingCodeId: string;
  readonly messagingConsentS1: string;
}

/** The world's ids: the fixture's, the users without an organisation, and the extras per organisation. */
export interface PolicyWorldIds {
  readonly fx: Fixture;
  readonly users: GlobalUsers;
  readonly extras: { readonly a: OrgExtras; readonly b: OrgExtras };
}

/** The statements that add the world to a seeded fixture (as the owner), with the ids they use. */
export function policyWorldStatements(fx: Fixture): { readonly world: PolicyWorldIds; readonly statements: readonly string[] } {
  const users: GlobalUsers = { self: stableId('policy:user:self'), platformAdmin: stableId('policy:user:platform-admin') };
  const statements = [
    stmt`insert into auth.users (id, email) values (${users.self}, 'self@example.org'), (${users.platformAdmin}, 'platform@example.org')`,
    stmt`insert into public.profiles (id, display_name, email, is_platform_admin)
             values (${users.self}, 'Sol Self', 'self@example.org', false), (${users.platformAdmin}, 'Pat Platform', 'platform@example.org', true)`,
    stmt`insert into public.notifications (user_id, type, title) values (${users.self}, 'account.welcome', 'Welcome'), (${users.platformAdmin}, 'account.welcome', 'Welcome')`,
  ];
  const extras = { a: addPolicyExtras(statements, fx.a), b: addPolicyExtras(statements, fx.b) };
  // The user without membership has an unanswered invitation of org A: it is theirs to read, and counts for nothing.
  statements.push(stmt`insert into public.organization_members (organization_id, user_id, role, status) values (${fx.a.organizationId}, ${users.self}, 'guardian', 'invited')`);
  return { world: { fx, users, extras }, statements };
}

/**
 * Per organisation: a bare `member`; everyone of the organisation in its conversation and in a group
 * conversation about no student (and a
 * messaging consent for the student, s1) and a chat attachment; a notification for every persona;
 * the supervisor's own caseload (s3) and the SLPA consulting on s1; the supervisee's student s2 with a guardian (no login), plan,
 * mandate, goal, data point, shared progress report, document and a co-signed note with its charge,
 * so a supervisor sees their supervisees' records.
 */
function addPolicyExtras(out: string[], o: OrgFixture): OrgExtras {
  const id = (name: string) => stableId(`org-${o.key}:${name}`);
  const u = o.users;
  const [s1, s2, s3] = o.studentIds;
  const org = o.organizationId;
  const member = id('policy:user:member');
  out.push(stmt`insert into auth.users (id, email) values (${member}, ${`member.${o.key}@example.org`})`);
  out.push(stmt`insert into public.profiles (id, display_name, email) values (${member}, 'Mo Member', ${`member.${o.key}@example.org`})`);
  out.push(stmt`insert into public.organization_members (organization_id, user_id, role) values (${org}, ${member}, 'student')`);

  for (const user of [u.org_admin, u.supervisor, u.supervisee, u.student, u.school_staff, u.billing, member]) {
    out.push(stmt`insert into public.conversation_participants (organization_id, conversation_id, user_id) values (${org}, ${o.conversationId}, ${user})`);
  }
  // The student team's conversation is about s1, so only staff, s1's guardian and s1 see it; the
  // group conversation is everyone's (the bare member's too).
  const groupConversationId = id('policy:conversation:group');
  out.push(stmt`insert into public.conversations (id, organization_id, kind, title, created_by) values (${groupConversationId}, ${org}, 'group', 'Everyone', ${u.org_admin})`);
  for (const user of [u.org_admin, u.therapist, u.supervisor, u.supervisee, u.guardian, u.student, u.school_staff, u.billing, member]) {
    out.push(stmt`insert into public.conversation_participants (organization_id, conversation_id, user_id) values (${org}, ${groupConversationId}, ${user})`);
  }
  out.push(stmt`insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body)
           values (${org}, ${groupConversationId}, ${u.org_admin}, ${id('policy:message:group')}, 'Welcome, everyone.')`);
  const messagingConsentS1 = id('policy:consent:messaging-s1');
  out.push(stmt`insert into public.consents (id, organization_id, student_id, guardian_id, consent_type, granted_at, signature_method, recorded_by)
           values (${messagingConsentS1}, ${org}, ${s1}, ${o.guardianId}, 'messaging', ${at(-150, 12)}, 'e_signature', ${u.org_admin})`);
  const chatDocument = id('policy:document:chat');
  out.push(stmt`insert into public.documents (id, organization_id, conversation_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, visibility, uploaded_by)
           values (${chatDocument}, ${org}, ${groupConversationId}, 'chat-attachments', ${`${org}/conversations/${groupConversationId}/${chatDocument}.png`},
                   'chat_attachment', 'homework.png', 'image/png', 2048, 'participants', ${u.guardian})`);
  for (const user of [u.org_admin, u.therapist, u.supervisor, u.supervisee, u.student, u.school_staff, u.billing, member]) {
    out.push(stmt`insert into public.notifications (user_id, organization_id, type, title) values (${user}, ${org}, 'session.reminder', 'Upcoming session')`);
  }
  out.push(stmt`insert into public.caseload_assignments (organization_id, student_id, therapist_id, discipline, starts_on)
           values (${org}, ${s3}, ${u.supervisor}, 'slp', ${dateFromToday(-30)})`);
  // the SLPA consults on s1 too, so s1's family and school see who supervises the SLPA
  out.push(stmt`insert into public.caseload_assignments (organization_id, student_id, therapist_id, discipline, assignment_role, starts_on)
           values (${org}, ${s1}, ${u.supervisee}, 'slp', 'consult', ${dateFromToday(-30)})`);

  // s2's parent, without a portal login (so only staff see them)
  const guardianS2 = id('policy:guardian:s2');
  out.push(stmt`insert into public.guardians (id, organization_id, first_name, last_name, preferred_contact) values (${guardianS2}, ${org}, 'Rae', 'Reyes', 'phone')`);
  out.push(stmt`insert into public.student_guardians (organization_id, student_id, guardian_id, relationship, is_primary) values (${org}, ${s2}, ${guardianS2}, 'parent', true)`);

  const planS2 = id('policy:plan:s2');
  const goalS2 = id('policy:goal:s2');
  const sessionTypeId = id('session-type:slp-individual');
  out.push(stmt`insert into public.service_plans (id, organization_id, student_id, plan_type, status, effective_during, created_by)
           values (${planS2}, ${org}, ${s2}, 'iep', 'active', ${thisYear()}, ${u.org_admin})`);
  out.push(stmt`insert into public.service_mandates (organization_id, service_plan_id, discipline, session_type_id, minutes_per_session, sessions_per_period, period, delivery_setting, effective_during)
           values (${org}, ${planS2}, 'slp', ${sessionTypeId}, 30, 1, 'week', 'pull_out', ${thisYear()})`);
  out.push(stmt`insert into public.goals (id, organization_id, student_id, service_plan_id, discipline, domain, goal_text, measurement_type, target_value, created_by)
           values (${goalS2}, ${org}, ${s2}, ${planS2}, 'slp', 'expressive_language', 'Use 4-word utterances in 8 of 10 opportunities.', 'trials', 8, ${u.supervisee})`);
  out.push(stmt`insert into public.goal_observations (organization_id, goal_id, session_id, student_id, recorded_by, trials_correct, trials_total)
           values (${org}, ${goalS2}, ${o.sessionIds.pastS2}, ${s2}, ${u.supervisee}, 6, 10)`);
  out.push(stmt`insert into public.progress_reports (organization_id, goal_id, student_id, reporting_period, progress_code, summary, author_id, status, finalized_at, shared_with_guardians_at)
           values (${org}, ${goalS2}, ${s2}, ${dateRange(-90, -1)}, 'sufficient', 'Longer utterances.', ${u.supervisee}, 'shared', ${at(-1, 12)}, ${at(-1, 13)})`);
  const evaluation = id('policy:document:s2-evaluation');
  out.push(stmt`insert into public.documents (id, organization_id, student_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, visibility, uploaded_by)
           values (${evaluation}, ${org}, ${s2}, 'student-records', ${`${org}/students/${s2}/evaluation_report/${evaluation}.pdf`},
                   'evaluation_report', 'evaluation.pdf', 'application/pdf', 90000, 'staff', ${u.supervisee})`);
  // A charge the SLPA rendered under the supervisor: a second past session of s2 with a co-signed note.
  const session = id('policy:session:past-s2-b');
  const note = id('policy:note:s2-b');
  out.push(stmt`insert into public.therapy_sessions (id, organization_id, therapist_id, session_type_id, school_id, start_time, end_time, created_by)
           values (${session}, ${org}, ${u.supervisee}, ${sessionTypeId}, ${o.schoolIds[1]}, ${at(-13, 17)}, ${at(-13, 17, 30)}, ${u.supervisee})`);
  out.push(stmt`insert into public.session_participants (organization_id, session_id, student_id) values (${org}, ${session}, ${s2})`);
  out.push(stmt`update public.therapy_sessions set status = 'confirmed' where id = ${session}`);
  out.push(stmt`update public.therapy_sessions set status = 'completed' where id = ${session}`);
  out.push(stmt`update public.session_participants set attendance = 'present', minutes_attended = 30 where session_id = ${session}`);
  out.push(stmt`insert into public.session_notes (id, organization_id, session_id, student_id, author_id, subjective, billable_minutes)
           values (${note}, ${org}, ${session}, ${s2}, ${u.supervisee}, 'Worked on utterance length.', 30)`);
  out.push(stmt`update public.session_notes set status = 'pending_cosign' where id = ${note}`);
  out.push(stmt`update public.session_notes set status = 'signed', cosigned_by = ${u.supervisor} where id = ${note}`);
  const billingCodeId = id('billing-code:92507');
  out.push(stmt`insert into public.service_charges (organization_id, session_id, student_id, note_id, billing_code_id, unit_rule, rendering_provider_id, supervising_provider_id, service_date, billable_minutes, payer, status)
           values (${org}, ${session}, ${s2}, ${note}, ${billingCodeId}, 'timed_15min', ${u.supervisee}, ${u.supervisor}, ${dateFromToday(-13)}, 30, 'district', 'pending')`);

  return {
    member,
    planS2,
    goalS2,
    goalS1: id('goal:s1-articulation'),
    planS1: id('plan:s1'),
    sessionTypeId,
    documentIep: id('document:s1-iep'),
    chatDocument,
    groupConversationId,
    billingCodeId,
    messagingConsentS1,
  };
}

/** The matrix personas as users of organisation `key`; `null` is `anon`. */
export function personaUser(world: PolicyWorldIds, persona: Persona, key: 'a' | 'b' = 'a'): string | null {
  const o = world.fx[key];
  switch (persona) {
    case 'org_admin':
    case 'therapist':
    case 'supervisor':
    case 'school_staff':
    case 'guardian':
    case 'student':
    case 'billing':
      return o.users[persona];
    case 'member':
      return world.extras[key].member;
    case 'self':
      return world.users.self;
    case 'platform_admin':
      return world.users.platformAdmin;
    case 'anon':
      return null;
  }
}

/** `therapist of org A`, `anon`, `platform_admin (no organisation)`. */
export function personaLabel(persona: Persona, key: 'a' | 'b' = 'a'): string {
  if (persona === 'anon') return 'anon';
  if (persona === 'self') return 'a signed-in user without membership (self)';
  if (persona === 'platform_admin') return 'platform_admin';
  return `${persona} of org ${key.toUpperCase()}`;
}
