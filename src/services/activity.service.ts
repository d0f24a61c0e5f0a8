/** The activity feed: what happened in the organization, as far as the caller may see. */
import type { Database } from '../db/database.js';
import { CollaborationActivityRepository } from '../repositories/collaboration-activity.repository.js';
import type { Actor } from './actor.js';
import { openAudit } from './audit-access.js';
import type { ActivityView, Page, PageRequest } from './views.js';

export class ActivityService {
  constructor(private readonly database: Database) {}

  /** Events of audits the actor may view (in SQL), and organization events for admins; of one audit if asked. */
  async list(actor: Actor, options: PageRequest & { auditId?: string }): Promise<Page<ActivityView>> {
    if (options.auditId) await openAudit(this.database.db, actor, options.auditId, 'view');
    return new CollaborationActivityRepository(this.database.db).listVisible(
      actor.organization.id,
      { userId: actor.user.id, role: actor.user.role },
      options,
    );
  }
}
