/**
 * The API's answers as the web app reads them, in one place. Most are restated by hand until
 * the server exports them from `src/http/routes/<resource>/contract.ts` (#15): each
 * `TODO(#15)` below then becomes an import from there, and nothing else in the app changes.
 * The types the server exports already (the analysis, the diff, the spend views) are imported
 * here: types only, nothing of the server's code reaches the bundle.
 */
import type { Analysis } from '../../../src/http/routes/audits/contract';

// The analysis as the engine makes it: one definition for the server and the app. Analyses
// stored by older versions may lack newer fields: pages read them defensively.
export type { Analysis, Recommendation } from '../../../src/http/routes/audits/contract';
export type { AuditDiff } from '../../../src/http/routes/audits/contract';
export type { SpendSummary, StatementImport } from '../../../src/http/routes/spend/contract';
export type { ColumnMapping } from '../../../src/http/routes/spend/contract';

// ── Lists ───────────────────────────────────────────────────────────────────

// TODO(#15): import from the contract.ts of each list's resource (src/http/routes/<resource>/contract.ts).
/** A list answered whole. */
export interface Items<T> {
  items: T[];
}

// TODO(#15): import from the contract.ts of each list's resource (src/http/routes/<resource>/contract.ts).
/** A page of a cursor-paginated list; `nextCursor` is null on the last page. */
export interface CursorPage<T> extends Items<T> {
  nextCursor: string | null;
}

// ── Accounts and organizations ──────────────────────────────────────────────

// TODO(#15): import from src/http/routes/auth/contract.ts
export interface User {
  id: string;
  email: string;
  name: string | null;
  role: 'admin' | 'member' | 'viewer';
  /** Null for an account that belongs to no organization (email not verified yet, or removed). */
  organizationId: string | null;
  /** Whether the user proved they read mail at `email`. */
  emailVerified: boolean;
  /** Signed up at a domain an organization claims: joins it once the email is verified. */
  domainJoinPending: boolean;
}

// TODO(#15): import from src/http/routes/auth/contract.ts
/** GET /api/auth/session: who is logged in, if anyone (POST /api/auth/verify-email answers the same, with a user). */
export interface SessionAnswer {
  user: User | null;
  organization: Organization | null;
}

// TODO(#15): import from src/http/routes/auth/contract.ts
/** An answer that only says what happened (a link sent, …), in words for the user. */
export interface Message {
  message: string;
}

// TODO(#15): import from src/http/routes/organization/contract.ts
export interface Limits {
  auditsPerMonth: number | null;
  members: number | null;
}

// TODO(#15): import from src/http/routes/organization/contract.ts
export interface Usage {
  auditsThisMonth: number;
  members: number;
}

// TODO(#15): import from src/http/routes/organization/contract.ts
export interface Organization {
  id: string;
  name: string;
  plan: string;
  settings: {
    allowedDomains: string[];
    maxAuditsPerMonth: number | null;
    auditRetentionDays: number;
    baseCurrency: string;
  };
  limits: Limits;
  usage: Usage;
}

// TODO(#15): import from src/http/routes/organization/contract.ts
/** GET and PATCH /api/organization. */
export interface OrganizationAnswer {
  organization: Organization;
}

// ── Audits ──────────────────────────────────────────────────────────────────

// TODO(#15): import from src/http/routes/audits/contract.ts (the schema is src/domain/analysis/stack.ts's ToolSchema)
export interface Tool {
  name: string;
  vendor?: string;
  category?: string;
  monthlyCost?: number;
  seats?: number;
  activeSeats?: number;
  billingCycle?: 'monthly' | 'annual';
  contractEndDate?: string;
  noticePeriodDays?: number;
  owner?: string;
  /** Fields the editor does not show (pricingModel, tags, …) are kept as they were. */
  [other: string]: unknown;
}

// TODO(#15): import from src/http/routes/audits/contract.ts (the schema is src/domain/analysis/stack.ts's StackDataSchema)
export interface StackData {
  currency?: string;
  employeeCount?: number;
  tools: Tool[];
}

// TODO(#15): import from src/http/routes/audits/contract.ts
export interface Audit {
  id: string;
  name: string;
  status: 'pending' | 'analyzing' | 'completed' | 'failed';
  error?: string;
  createdAt: string | null;
  totalMonthlyCost: number | null;
  potentialMonthlySavings: number | null;
  toolCount: number | null;
  stackData?: StackData;
}

// TODO(#15): import from src/http/routes/audits/contract.ts
/** What the caller may do with an audit; what a page offers follows it. */
export type Access = 'view' | 'comment' | 'edit' | 'manage';

// TODO(#15): import from src/http/routes/audits/contract.ts
/** GET /api/audits/:id. */
export interface AuditView {
  audit: Audit;
  analysis: Analysis | null;
  access: Access;
}

// TODO(#15): import from src/http/routes/audits/contract.ts
/** An audit as created or saved (POST /api/audits, …/import, …/from-spend; PATCH /api/audits/:id). */
export interface SavedAudit {
  audit: Audit;
}

// TODO(#15): import from src/http/routes/audits/contract.ts
export interface CatalogItem {
  name: string;
  vendor: string;
  category: string;
  typicalMonthlyPricePerSeat: number | null;
  priceTier: string | null;
}

// ── Collaboration ───────────────────────────────────────────────────────────

// TODO(#15): import from src/http/routes/collaboration/contract.ts
export interface Reaction {
  reaction: string;
  count: number;
  reactedByMe: boolean;
}

// TODO(#15): import from src/http/routes/collaboration/contract.ts
export interface Comment {
  id: string;
  parentId: string | null;
  content: string;
  author: { id: string; name: string | null } | null;
  createdAt: string | null;
  edited: boolean;
  reactions: Reaction[];
  replies?: Comment[];
}

// TODO(#15): import from src/http/routes/collaboration/contract.ts
/** Someone who can see an audit, and so can be mentioned on it. */
export interface Person {
  id: string;
  name: string | null;
  email: string;
}

// TODO(#15): import from src/http/routes/collaboration/contract.ts
export interface Activity {
  id: string;
  action: string;
  user: { id: string; name: string | null } | null;
  createdAt: string | null;
}

// TODO(#15): import from src/http/routes/collaboration/contract.ts
export interface ShareState {
  visibility: 'private' | 'organization' | 'public';
  shareToken: string | null;
  shareUrl: string | null;
}

// TODO(#15): import from src/http/routes/collaboration/contract.ts
export type Permission = 'view' | 'comment' | 'edit';

// TODO(#15): import from src/http/routes/collaboration/contract.ts
export interface UserShare {
  user: { id: string; name: string | null; email: string };
  permission: Permission;
  createdAt: string | null;
}

// TODO(#15): import from src/http/routes/collaboration/contract.ts
/** GET /api/shared/:token: a public audit, read-only. */
export interface SharedAudit {
  audit: Audit;
  analysis: Analysis | null;
}

// ── Notifications ───────────────────────────────────────────────────────────

// TODO(#15): import from src/http/routes/me/contract.ts
export interface Notification {
  id: string;
  type: string;
  auditId: string | null;
  commentId: string | null;
  actor: { id: string; name: string | null } | null;
  text: string;
  readAt: string | null;
  createdAt: string;
}

// TODO(#15): import from src/http/routes/me/contract.ts
export interface NotificationPage extends CursorPage<Notification> {
  unreadCount: number;
}

// TODO(#15): import from src/http/routes/me/contract.ts
export type NotificationPreferences = Record<
  'emailComments' | 'emailMentions' | 'emailShares' | 'emailWeeklyDigest' | 'inAppComments' | 'inAppMentions',
  boolean
>;

// ── Team ────────────────────────────────────────────────────────────────────

// TODO(#15): import from src/http/routes/team/contract.ts
export interface Invite {
  id: string;
  email: string;
  role: string;
  status: string;
  expiresAt: string;
  acceptUrl?: string;
}

// TODO(#15): import from src/http/routes/team/contract.ts
/** POST /api/team/invites: `acceptUrl` is in this answer only. */
export interface SentInvite {
  invite: Invite;
}

// TODO(#15): import from src/http/routes/team/contract.ts
/** GET /api/invites/:token: what an invite link offers, for whoever holds it. */
export interface InviteInfo {
  organizationName: string;
  email: string;
  role: string;
  expiresAt: string;
}

// ── Spend ───────────────────────────────────────────────────────────────────

// TODO(#15): import from src/http/routes/spend/contract.ts
export interface ToolCost {
  id: string;
  source: string;
  toolName: string;
  vendor: string | null;
  amount: number;
  currency: string;
  billingPeriodStart: string | null;
  createdAt: string | null;
}

// TODO(#15): import from src/http/routes/spend/contract.ts
/** The organization's exchange rates against its base currency. */
export interface ExchangeRates {
  baseCurrency: string;
  rates: { currency: string; rate: number; updatedAt: string | null }[];
}

// ── Billing and integrations ────────────────────────────────────────────────

// TODO(#15): import from src/http/routes/billing/contract.ts
export interface BillingView {
  plan: string;
  status: string;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  limits: Limits;
  usage: Usage;
  billingEnabled: boolean;
  plans: { name: string; monthlyPriceUsd: number | null; limits: Limits; checkout: boolean }[];
}

// TODO(#15): import from src/http/routes/billing/contract.ts
/** POST /api/billing/checkout and /portal: the Stripe page to go to. */
export interface StripeRedirect {
  url: string;
}

// TODO(#15): import from src/http/routes/integrations/contract.ts
export interface Integration {
  provider: 'quickbooks' | 'xero' | 'stripe';
  available: boolean;
  connected: boolean;
  lastSyncAt: string | null;
  status: string;
  error: string | null;
  lastSync: { imported: number; duplicates: number; skipped: number } | null;
}

// TODO(#15): import from src/http/routes/integrations/contract.ts
/** POST /api/integrations/:provider/connect: the provider's consent page for OAuth; nothing for an API key. */
export interface ConnectAnswer {
  url?: string;
}
