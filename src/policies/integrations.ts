import { outboxEvents, webhookSubscriptions } from '../schema';
import { allow, anyOf, app, noClientAccess, policiesByName, tableAccess } from './dsl';

/** Webhooks: org admins manage their endpoints; the outbox is for the server and the delivery worker. */
export const webhookSubscriptionsAccess = tableAccess(webhookSubscriptions, {
  tenant: { column: webhookSubscriptions.organizationId },
  rules: [
    allow(['select', 'insert', 'update', 'delete'], {
      who: 'org_admin',
      summary: "their organisations' webhook endpoints",
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: ['targetUrl', 'eventTypes', 'secretId', 'active', 'failureCount', 'disabledAt'],
    }),
  ],
});

export const outboxEventsAccess = noClientAccess(
  outboxEvents,
  'written by SECURITY DEFINER triggers in the business transaction, claimed and acknowledged by the delivery worker (service role)',
);

export const integrationsAccess = [webhookSubscriptionsAccess, outboxEventsAccess] as const;

export const {
  webhook_subscriptions_tenant_isolation,
  webhook_subscriptions_select_authenticated,
  webhook_subscriptions_insert_authenticated,
  webhook_subscriptions_update_authenticated,
  webhook_subscriptions_delete_authenticated,
} = policiesByName(webhookSubscriptionsAccess);
