import { billingCodes, serviceCharges } from '../schema';
import { live, supervisedIn } from './arms';
import { allow, and, anyOf, app, auth, eq, isNull, or, policiesByName, tableAccess } from './dsl';

/**
 * Billing: the billing role keeps the organisation's codes and charges; therapists see the charges
 * they rendered, supervisors those of their supervisees. The shared CPT/HCPCS catalogue has no
 * organisation (`organization_id` null) and is read-only for everyone.
 */

/** Member roles that work with billing codes. */
const codeReaders = ['org_admin', 'therapist', 'billing'] as const;

export const billingCodesAccess = tableAccess(billingCodes, {
  tenant: { column: billingCodes.organizationId, nullRows: 'the shared CPT/HCPCS catalogue belongs to no organisation' },
  rules: [
    allow('select', {
      who: codeReaders,
      summary: "their organisations' codes",
      using: ({ t }) => anyOf(t.organizationId, app.orgIds(...codeReaders)),
    }),
    allow('select', {
      who: codeReaders,
      summary: 'the shared catalogue',
      // A helper, not an `exists` over organization_members: that would plan the members' own
      // policies into every query touching billing codes.
      using: ({ t }) => and(isNull(t.organizationId), app.hasRole(...codeReaders)),
    }),
    allow(['insert', 'update'], {
      who: 'billing',
      summary: "their organisations' own codes (never the shared catalogue)",
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('billing')),
      columns: ['codeSystem', 'code', 'description', 'discipline', 'unitRule', 'minMinutes', 'maxMinutes', 'defaultModifiers', 'effectiveDuring'],
    }),
  ],
});

export const serviceChargesAccess = tableAccess(serviceCharges, {
  tenant: {
    column: serviceCharges.organizationId,
    guardAsFilter:
      "billing reads pin their organisation (sc.organization_id = $1): an estimated guard counted it twice and a prepared rollup's generic plan expected 1 charge for 2,694; every arm has an indexable condition of its own",
  },
  rules: [
    allow('select', {
      who: 'org_admin',
      summary: 'charges of their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
    }),
    allow('select', {
      who: 'billing',
      summary: 'charges of live sessions and students of their organisations',
      using: ({ t }) => and(anyOf(t.organizationId, app.orgIds('billing')), live(t.sessionId, t.studentId)),
    }),
    allow(['insert', 'update'], {
      who: 'billing',
      summary: 'charges of their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('billing')),
      columns: [
        'billingCodeId', 'unitRule', 'modifiers', 'renderingProviderId', 'supervisingProviderId', 'serviceDate', 'billableMinutes', 'payer',
        'status', 'claimReference', 'amountBilled', 'amountPaid', 'submittedAt',
      ],
    }),
    allow('select', {
      who: 'therapist',
      summary: 'charges they rendered or supervised, while a therapist of the organisation',
      using: ({ t }) =>
        and(
          or(eq(t.renderingProviderId, auth.uid()), eq(t.supervisingProviderId, auth.uid())),
          anyOf(t.organizationId, app.orgIds('therapist')),
          live(t.sessionId, t.studentId),
        ),
    }),
    allow('select', {
      who: 'supervisor',
      summary: "charges their supervisees rendered in the supervision's organisation",
      using: ({ t }) => and(supervisedIn(t.organizationId, t.renderingProviderId), live(t.sessionId, t.studentId)),
    }),
  ],
});

export const billingAccess = [billingCodesAccess, serviceChargesAccess] as const;

export const {
  billing_codes_tenant_isolation,
  billing_codes_select_authenticated,
  billing_codes_insert_authenticated,
  billing_codes_update_authenticated,
} = policiesByName(billingCodesAccess);

export const {
  service_charges_tenant_isolation,
  service_charges_select_authenticated,
  service_charges_insert_authenticated,
  service_charges_update_authenticated,
} = policiesByName(serviceChargesAccess);
