/**
 * Usage from an identity provider (issue #17 point 1), pure: who is assigned to which app and
 * who used it when, counted per app as seats bought and assigned and people active in the last
 * 30 and 90 days; and the catalog tool an app is — by the domains of its sign-in and home URLs
 * (the catalog's `domains`), else by the catalog's names and aliases after the words identity
 * providers add to app names ("Salesforce.com", "Slack SSO", "Zoom (SAML)"). An app that
 * matches no tool keeps its own name and stays visible.
 */
import { findByHost, findInCatalog, normalizeToolName } from './analysis/catalog.js';

export interface AppUsage {
  /** The app as the provider names it. */
  appName: string;
  /** The catalog tool it is, or null (then it is known by its own name). */
  toolName: string | null;
  /** Seats bought (Microsoft 365 licences); null where the provider does not say. */
  purchased: number | null;
  /** People assigned to the app (licences assigned, app assignments); null where unknown. */
  assigned: number | null;
  active30: number;
  active90: number;
  /** Distinct people seen using it in the last 90 days, or assigned where no activity is known. */
  users: number;
  /**
   * What "active" rests on: sign-ins to the app itself (single sign-on, the provider's own
   * sign-ins), licences with their holders' sign-ins, or only OAuth grants (a person let the
   * app read their data: discovery, not seat usage).
   */
  evidence: UsageEvidence;
}

export type UsageEvidence = 'sign_in' | 'licence' | 'oauth_grant';

const DAY_MS = 86_400_000;

/** Counts, per app, the people assigned and the last time each used it. */
export class UsageTally {
  private readonly apps = new Map<
    string,
    {
      purchased: number | null;
      assignedCount: number | null;
      assigned: Set<string>;
      lastSeen: Map<string, number>;
      hosts: Set<string>;
      evidence: UsageEvidence;
    }
  >();

  private app(name: string) {
    let app = this.apps.get(name);
    if (!app) {
      app = {
        purchased: null,
        assignedCount: null,
        assigned: new Set(),
        lastSeen: new Map(),
        hosts: new Set(),
        evidence: 'sign_in',
      };
      this.apps.set(name, app);
    }
    return app;
  }

  /** Makes the app known even with nobody assigned or seen (an Okta app nobody uses). */
  declare(name: string): this {
    this.app(name);
    return this;
  }

  /** What the app's activity rests on (sign-ins unless said). */
  evidence(name: string, evidence: UsageEvidence): this {
    this.app(name).evidence = evidence;
    return this;
  }

  /** URLs the provider gives for the app (sign-in, home): their hosts identify the tool. */
  urls(name: string, urls: unknown[]): this {
    const app = this.app(name);
    for (const url of urls) {
      if (typeof url !== 'string') continue;
      try {
        app.hosts.add(new URL(url).hostname);
      } catch {
        // not a URL: nothing to learn from it
      }
    }
    return this;
  }

  purchased(name: string, seats: number): this {
    const app = this.app(name);
    app.purchased = (app.purchased ?? 0) + seats;
    return this;
  }

  /** A count of assignments the provider gives without naming people (consumed licences). */
  assignedCount(name: string, count: number): this {
    const app = this.app(name);
    app.assignedCount = (app.assignedCount ?? 0) + count;
    return this;
  }

  assign(name: string, person: string): this {
    this.app(name).assigned.add(person.toLowerCase());
    return this;
  }

  /** `person` used the app at `at` (a sign-in, an SSO, an OAuth grant's use). */
  seen(name: string, person: string, at: Date | null): this {
    if (!at || Number.isNaN(at.getTime()) || at.getTime() <= 0) return this;
    const key = person.toLowerCase();
    const app = this.app(name);
    app.lastSeen.set(key, Math.max(app.lastSeen.get(key) ?? 0, at.getTime()));
    return this;
  }

  result(now: Date): AppUsage[] {
    const day30 = now.getTime() - 30 * DAY_MS;
    const day90 = now.getTime() - 90 * DAY_MS;
    return [...this.apps]
      .map(([appName, app]) => {
        const times = [...app.lastSeen.values()];
        const active90 = times.filter((t) => t >= day90).length;
        const assigned = app.assignedCount ?? (app.assigned.size > 0 ? app.assigned.size : null);
        return {
          appName,
          toolName: matchCatalogTool(appName, [...app.hosts]),
          purchased: app.purchased,
          assigned,
          active30: times.filter((t) => t >= day30).length,
          active90,
          users: Math.max(active90, app.assigned.size),
          evidence: app.evidence,
        };
      })
      .sort((a, b) => b.active90 - a.active90 || a.appName.localeCompare(b.appName));
  }
}

// What identity providers add to an app's name: protocols, "app", domains' suffixes, editions.
const NOISE =
  /\b(saml|saml2|saml 2\.0|sso|oidc|oauth|scim|app|application|login|sign ?in|for (work|business|teams)|enterprise|business|inc|llc|ltd)\b|\.(com|io|ai|app|co|net|org)\b|[()[\]]/gi;

/** The catalog tool an app is: by a host of its URLs, else by name or alias after removing what providers add; else null. */
export function matchCatalogTool(appName: string, hosts: readonly string[] = []): string | null {
  for (const host of hosts) {
    const entry = findByHost(host);
    if (entry) return entry.name;
  }
  const tries = [appName, appName.replace(NOISE, ' ').replace(/\s+/g, ' ').trim()];
  // "Atlassian Jira Cloud" → also its words one by one, longest first (at least four letters).
  const words = tries[1]!.split(' ').filter((w) => w.length >= 4);
  for (const candidate of [...tries, ...words.sort((a, b) => b.length - a.length)]) {
    if (!normalizeToolName(candidate)) continue;
    const entry = findInCatalog(candidate);
    if (entry) return entry.name;
  }
  return null;
}

/** An app's usage as stored, with where and when it was measured. */
export interface MeasuredUsage extends AppUsage {
  provider: string;
  syncedAt: Date;
}

/** What the analysis used for a tool instead of the typed figure (`costAnalysis.usage`). */
export interface UsageUsed {
  tool: string;
  provider: string;
  syncedAt: string;
  /** The typed active seats (null: none typed). */
  listedActiveSeats: number | null;
  /** What the analysis used: the people active in the last 90 days, at most the seats. */
  activeSeats: number;
  active30: number;
  active90: number;
  assigned: number | null;
  purchased: number | null;
}

/** Usage older than this is not used by an analysis (a connection that stopped syncing). */
export const MEASURED_USAGE_MAX_AGE_DAYS = 7;

/**
 * The stack with measured usage in place of typed guesses: a tool a connected identity
 * provider knows (by catalog tool, else by name) gets as active seats the people active in
 * the last 90 days (a 30-day window would call a monthly user idle), at most its seats; a
 * tool without seats gets the licences bought (else assigned). Only evidence of use counts:
 * sign-ins to the app or licence holders' sign-ins, synced within the last week, with at
 * least one person active (nobody seen signing in through the provider may only mean the app
 * is also reached without it); OAuth grants alone never replace a typed figure. Where several
 * providers know the tool, the one seeing the most people speaks.
 */
export function withMeasuredUsage<T extends { tools: { name: string; seats?: number; activeSeats?: number }[] }>(
  stack: T,
  usage: MeasuredUsage[],
  keyOf: (name: string) => string,
  now = new Date(),
): { stack: T; used: UsageUsed[] } {
  const best = new Map<string, MeasuredUsage>();
  const oldest = now.getTime() - MEASURED_USAGE_MAX_AGE_DAYS * DAY_MS;
  for (const u of usage) {
    if (u.evidence === 'oauth_grant' || u.active90 === 0 || u.syncedAt.getTime() < oldest) continue;
    const key = keyOf(u.toolName ?? u.appName);
    const seen = best.get(key);
    if (!seen || u.active90 > seen.active90) best.set(key, u);
  }
  const used: UsageUsed[] = [];
  const tools = stack.tools.map((tool) => {
    const u = best.get(keyOf(tool.name));
    if (!u) return tool;
    const seats = tool.seats ?? u.purchased ?? u.assigned ?? undefined;
    const activeSeats = seats === undefined ? u.active90 : Math.min(u.active90, seats);
    used.push({
      tool: tool.name,
      provider: u.provider,
      syncedAt: u.syncedAt.toISOString(),
      listedActiveSeats: tool.activeSeats ?? null,
      activeSeats,
      active30: u.active30,
      active90: u.active90,
      assigned: u.assigned,
      purchased: u.purchased,
    });
    return { ...tool, ...(seats === undefined ? {} : { seats }), activeSeats };
  });
  return { stack: { ...stack, tools }, used };
}
