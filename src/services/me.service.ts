/** What belongs to the logged-in user alone: notification preferences and notifications. */
import type { Database } from '../db/database.js';
import { UnauthenticatedError } from '../errors.js';
import { NotificationRepository } from '../repositories/notification.repository.js';
import { NotificationPreferencesRepository } from '../repositories/notification-preferences.repository.js';
import type { Actor } from './actor.js';
import type { NotificationPreferencesView, NotificationView, Page, PageRequest } from './views.js';

export class MeService {
  constructor(private readonly database: Database) {}

  async preferences(actor: Actor): Promise<NotificationPreferencesView> {
    const prefs = await new NotificationPreferencesRepository(this.database.db).get(
      actor.organization.id,
      actor.user.id,
    );
    if (!prefs) throw new UnauthenticatedError();
    return prefs;
  }

  async updatePreferences(
    actor: Actor,
    changes: Partial<NotificationPreferencesView>,
  ): Promise<NotificationPreferencesView> {
    const prefs = await new NotificationPreferencesRepository(this.database.db).update(
      actor.organization.id,
      actor.user.id,
      changes,
    );
    if (!prefs) throw new UnauthenticatedError();
    return prefs;
  }

  async notifications(actor: Actor, page: PageRequest): Promise<Page<NotificationView> & { unreadCount: number }> {
    const repo = new NotificationRepository(this.database.db);
    const [list, unreadCount] = await Promise.all([
      repo.listForUser(actor.organization.id, actor.user.id, page),
      repo.countUnread(actor.organization.id, actor.user.id),
    ]);
    return { ...list, unreadCount };
  }

  async markRead(actor: Actor, ids?: string[]): Promise<void> {
    await new NotificationRepository(this.database.db).markRead(actor.organization.id, actor.user.id, ids);
  }
}
