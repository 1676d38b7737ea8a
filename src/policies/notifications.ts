import { notifications } from '../schema';
import { allow, and, app, auth, eq, policiesByName, tableAccess } from './dsl';

/** In-app notifications: each user reads their own and marks them read; the server writes them. */
export const notificationsAccess = tableAccess(notifications, {
  tenant: { column: notifications.organizationId, nullRows: 'platform notifications about no organisation' },
  rules: [
    allow('select', {
      who: 'self',
      summary: 'their own notifications',
      using: ({ t }) => and(eq(t.userId, auth.uid()), app.isActiveUser()),
    }),
    allow('update', {
      who: 'self',
      summary: 'marking their own notifications read',
      using: ({ t }) => and(eq(t.userId, auth.uid()), app.isActiveUser()),
      columns: ['readAt'],
    }),
  ],
});

export const notificationsAreaAccess = [notificationsAccess] as const;

export const {
  notifications_tenant_isolation,
  notifications_select_authenticated,
  notifications_update_authenticated,
} = policiesByName(notificationsAccess);
