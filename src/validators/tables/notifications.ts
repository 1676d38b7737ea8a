/** `therapy-db/validators/notifications`: the validators of `public.notifications`. */
import type { z } from 'zod';
import { matches } from '../text';
import { notificationsColumns } from '../described-tables';
import { eventTypeDescription, eventTypePattern } from '../patterns';
import { tableSchemas } from '../table';

export const notificationSchemas = tableSchemas(notificationsColumns, {
  server: ['id', 'createdAt'],
  columns: {
    type: (s) => s.check(matches(eventTypePattern, eventTypeDescription)),
  },
});
export const notificationInsertSchema: (typeof notificationSchemas)['insert'] = notificationSchemas.insert;
export const notificationUpdateSchema: (typeof notificationSchemas)['update'] = notificationSchemas.update;
export const notificationSelectSchema: (typeof notificationSchemas)['select'] = notificationSchemas.select;
export type NotificationInsert = z.output<typeof notificationInsertSchema>;
export type NotificationInsertInput = z.input<typeof notificationInsertSchema>;
export type NotificationUpdate = z.output<typeof notificationUpdateSchema>;
export type NotificationUpdateInput = z.input<typeof notificationUpdateSchema>;
export type NotificationSelect = z.output<typeof notificationSelectSchema>;
