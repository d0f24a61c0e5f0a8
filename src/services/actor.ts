import type { Config } from '../config.js';
import type { OrganizationRecord, UserView } from './views.js';

/**
 * Whoever holds a live session: a user and, when they belong to one, their organization.
 * An account without an organization (waiting for a verified email to join the
 * organization that claims its domain, or a removed member) may manage its own account
 * and nothing else.
 */
export interface AccountSession {
  user: UserView;
  organization: OrganizationRecord | null;
  sessionId: string;
}

/** Who makes a request: a logged-in user of one organization, through one session. */
export interface Actor extends AccountSession {
  organization: OrganizationRecord;
}

/** Where a request comes from, for sessions, rate limits and links in emails. */
export interface RequestMeta {
  ip: string;
  userAgent: string | null;
  /** This server's origin as the request reached it (`http://localhost:3000`). */
  origin: string;
}

/**
 * Where links in emails point: APP_URL, or in development (where it may be unset) this
 * server as the request reached it. Production requires APP_URL (config.ts), so a forged
 * Host header can never redirect a link there.
 */
export function linkOrigin(config: Config, meta: RequestMeta): string {
  return config.appUrl ?? meta.origin;
}
