import type { Organization } from '../repositories/organization.repository.js';
import type { User } from '../repositories/user.repository.js';

/** Who makes a request: a logged-in user of one organization, through one session. */
export interface Actor {
  user: User;
  organization: Organization;
  sessionId: string;
}

/** Where a request comes from, for sessions and rate limits. */
export interface RequestMeta {
  ip: string;
  userAgent: string | null;
}
