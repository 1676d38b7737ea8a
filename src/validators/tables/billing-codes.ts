/** `therapy-db/validators/billing-codes`: the validators of `public.billing_codes`. */
import type { z } from 'zod';
import { maxItems } from '../array';
import { ordered } from '../rules';
import { matches } from '../text';
import { billingCodesColumns } from '../described-tables';
import { tableSchemas } from '../table';

export const billingCodeSchemas = tableSchemas(billingCodesColumns, {
  server: ['id'],
  columns: {
    code: (s) => s.check(matches(/^[A-Z0-9]{4,7}$/, '4 to 7 capital letters or digits (e.g. 92507)')),
    defaultModifiers: (s) => s.check(maxItems(4)),
  },
  rules: [ordered('billing_codes_minutes_range_check', 'maxMinutes', 'minMinutes', { orEqual: true })],
});
export const billingCodeInsertSchema: (typeof billingCodeSchemas)['insert'] = billingCodeSchemas.insert;
export const billingCodeUpdateSchema: (typeof billingCodeSchemas)['update'] = billingCodeSchemas.update;
export const billingCodeSelectSchema: (typeof billingCodeSchemas)['select'] = billingCodeSchemas.select;
export type BillingCodeInsert = z.output<typeof billingCodeInsertSchema>;
export type BillingCodeInsertInput = z.input<typeof billingCodeInsertSchema>;
export type BillingCodeUpdate = z.output<typeof billingCodeUpdateSchema>;
export type BillingCodeUpdateInput = z.input<typeof billingCodeUpdateSchema>;
export type BillingCodeSelect = z.output<typeof billingCodeSelectSchema>;
