import type { z } from 'zod';
import { notifications } from '../schema/notifications';
import { defineTable } from './table';
import { matches } from './text';

/** `session.cancelled`: the `^[a-z_]+\.[a-z_]+$` event-type pattern of notifications and the outbox. */
export const eventTypePattern = /^[a-z_]+\.[a-z_]+$/;
export const eventTypeDescription = 'an event type such as session.cancelled (lowercase letters and underscores, one dot)';

// ------------------------------------------------------------------ notifications
export const notificationValidators = defineTable(notifications, {
  server: ['id', 'createdAt'],
  columns: {
    type: (s) => s.check(matches(eventTypePattern, eventTypeDescription)),
  },
});
export const notificationInsertSchema: (typeof notificationValidators)['insert'] = notificationValidators.insert;
export const notificationUpdateSchema: (typeof notificationValidators)['update'] = notificationValidators.update;
export const notificationSelectSchema: (typeof notificationValidators)['select'] = notificationValidators.select;
export type NotificationInsert = z.output<typeof notificationInsertSchema>;
export type NotificationInsertInput = z.input<typeof notificationInsertSchema>;
export type NotificationUpdate = z.output<typeof notificationUpdateSchema>;
export type NotificationUpdateInput = z.input<typeof notificationUpdateSchema>;
export type NotificationSelect = z.output<typeof notificationSelectSchema>;
