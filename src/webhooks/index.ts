/**
 * What a webhook subscription may point at and sign with: `https` to a public address, and its own
 * organisation's secrets. Plain functions and data, no dependencies: the database rules render them
 * (src/schema/rules/integrations.ts), the validators and the delivery worker call them.
 */
export { nonPublicAddress, nonPublicIpv4Ranges, nonPublicIpv6Ranges, parseIpv4, parseIpv6, publicIpv6Range, dottedDecimalIpv4 } from './addresses';
export { checkWebhookTarget, localNameSuffixes, normalizeAllowedHost, type WebhookTarget, type WebhookTargetCheck, type WebhookTargetOptions } from './target';
export { webhookSecretName, webhookSecretNamePrefix } from './secret-name';
