/**
 * What services hand up to HTTP (and jobs): plain view types of their own, never the
 * database's row types. A repository row with these fields fits them as it is (no copy on
 * a hot path); a row's other columns — a password hash, a token hash — never reach a
 * presenter through them, and the HTTP layer imports nothing from repositories.
 */
export type { Page, PageRequest } from '../domain/page.js';

/** A person's account as others may see it (no password hash). */
export interface UserView {
  id: string;
  email: string;
  name: string | null;
  organizationId: string | null;
  role: string | null;
  plan: string | null;
  emailVerifiedAt: Date | null;
  domainJoinPending: boolean;
  createdAt: Date | null;
  lastLoginAt: Date | null;
}

/** An organization as its members see it; `settings` as stored (domain/organization-settings.ts reads it). */
export interface OrganizationRecord {
  id: string;
  name: string;
  plan: string | null;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
  settings: Record<string, unknown> | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

export interface InviteView {
  id: string;
  email: string;
  role: string | null;
  status: string | null;
  expiresAt: Date;
  createdAt: Date | null;
}

/** An audit without its stack, with the figures of its latest analysis (lists). */
export interface AuditSummaryView {
  id: string;
  organizationId: string | null;
  userId: string | null;
  name: string;
  status: string | null;
  error: string | null;
  createdAt: Date | null;
  updatedAt: Date | null;
  completedAt: Date | null;
  toolCount: number | null;
  totalMonthlyCost: string | null;
  potentialMonthlySavings: string | null;
}

/** An audit with its stack. */
export interface AuditView extends AuditSummaryView {
  stackData: unknown;
}

/** A stored analysis, as stored (an older version's may lack newer fields). */
export interface AnalysisView {
  id: string;
  auditId: string | null;
  summary: unknown;
  recommendations: unknown;
  costAnalysis: unknown;
  riskAssessment: unknown;
  createdAt: Date | null;
}

export interface ToolCostView {
  id: string;
  source: string;
  toolName: string;
  vendor: string | null;
  amount: string;
  currency: string | null;
  billingPeriodStart: string | null;
  billingPeriodEnd: string | null;
  metadata: Record<string, unknown> | null;
  review: string;
  importedAt: Date | null;
  createdAt: Date | null;
}

export interface ExchangeRateView {
  currency: string;
  rate: string;
  updatedAt: Date;
}

export interface CommentRecord {
  id: string;
  auditId: string | null;
  userId: string | null;
  parentId: string | null;
  content: string;
  createdAt: Date | null;
  updatedAt: Date | null;
}

export interface UserShareView {
  user: UserView;
  permission: string | null;
  createdAt: Date | null;
}

export interface ActivityView {
  id: string;
  auditId: string | null;
  userId: string | null;
  userName: string | null;
  /** The audit's name while it exists (a deleted audit's is in the metadata). */
  auditName: string | null;
  /** The member the event concerns (metadata.memberId or withUserId), while they are in the organization. */
  subjectName: string | null;
  action: string;
  metadata: Record<string, unknown> | null;
  createdAt: Date | null;
}

export interface NotificationView {
  id: string;
  type: string;
  auditId: string | null;
  commentId: string | null;
  actorId: string | null;
  actorName: string | null;
  text: string;
  readAt: Date | null;
  createdAt: Date;
}

export interface NotificationPreferencesView {
  emailComments: boolean;
  emailMentions: boolean;
  emailShares: boolean;
  emailWeeklyDigest: boolean;
  emailRenewalReminders: boolean;
  inAppComments: boolean;
  inAppMentions: boolean;
}
