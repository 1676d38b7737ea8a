import { relations, sql } from 'drizzle-orm';
import { check, foreignKey, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { notificationChannels } from './codes';
import { createdAt, literalList } from './columns';
import { organizations, profiles } from './identity';

// ------------------------------------------------------------------ notifications
/** An in-app notification for one user; `data` carries ids only, the client fetches the rest through RLS. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    organizationId: uuid('organization_id'),
    type: text('type').notNull(),
    title: text('title').notNull(),
    body: text('body'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    channels: text('channels', { enum: notificationChannels }).array().notNull().default(sql`'{in_app}'::text[]`),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'notifications_user_id_fkey', columns: [t.userId], foreignColumns: [profiles.id] }).onDelete('cascade'),
    foreignKey({ name: 'notifications_organization_id_fkey', columns: [t.organizationId], foreignColumns: [organizations.id] }).onDelete('cascade'),
    check('notifications_type_check', sql`${t.type} ~ '^[a-z_]+\\.[a-z_]+$'`),
    check('notifications_data_check', sql`jsonb_typeof(${t.data}) = 'object'`),
    check('notifications_channels_check', sql`${t.channels} <@ array[${literalList(notificationChannels)}]::text[]`),
    // A user's inbox, newest first (reference: partial where read_at is null; non-partial here
    // because it also leads the user_id FK).
    index('notifications_user_id_created_at_idx').on(t.userId, t.createdAt.desc()),
    index('notifications_organization_id_idx').on(t.organizationId).where(sql`${t.organizationId} is not null`),
  ],
).enableRLS();

// ------------------------------------------------------------------ relations
export const notificationsRelations = relations(notifications, ({ one }) => ({
  user: one(profiles, { fields: [notifications.userId], references: [profiles.id] }),
  organization: one(organizations, { fields: [notifications.organizationId], references: [organizations.id] }),
}));
