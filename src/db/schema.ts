/**
 * The database schema: the 14 tables of SEED-PLAN.md §3, column for column.
 *
 * This file is the one source of the SQL migrations (drizzle-kit generates them into
 * ./migrations) and of the row types the repositories use. Constraint and index names are
 * the ones PostgreSQL gives the seed plan's own DDL, so the live schema is identical to it;
 * test/schema-conformance.test.ts checks that on both databases.
 *
 * Later migrations may add columns to these tables, but only nullable ones or ones with a
 * default, and they never drop or retype a seed column.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';

const id = () => varchar('id', { length: 50 }).primaryKey();
const createdAt = () => timestamp('created_at', { withTimezone: true }).defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).defaultNow();
const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

export const organizations = pgTable(
  'organizations',
  {
    id: id(),
    name: varchar('name', { length: 255 }).notNull(),
    plan: varchar('plan', { length: 50 }).default('free'),
    stripeCustomerId: varchar('stripe_customer_id', { length: 100 }),
    stripeSubscriptionId: varchar('stripe_subscription_id', { length: 100 }),
    settings: jsonb('settings').$type<Record<string, unknown>>().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('idx_organizations_stripe_customer').on(t.stripeCustomerId),
    index('idx_organizations_plan').on(t.plan),
    // Beyond the seed (0002): signup finds the organization whose allowedDomains holds the email's domain.
    index('idx_organizations_allowed_domains').using('gin', sql`(${t.settings} -> 'allowedDomains')`),
  ],
);

export const users = pgTable(
  'users',
  {
    id: id(),
    email: varchar('email', { length: 255 }).notNull(),
    passwordHash: varchar('password_hash', { length: 255 }).notNull(),
    name: varchar('name', { length: 255 }),
    organizationId: varchar('organization_id', { length: 50 }),
    role: varchar('role', { length: 50 }).default('member'),
    plan: varchar('plan', { length: 50 }).default('free'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    lastLoginAt: timestamptz('last_login_at'),
    // Beyond the seed (0009): accounts you can trust.
    /** When the user proved they read mail at `email` (a verification link); null: not yet. */
    emailVerifiedAt: timestamptz('email_verified_at'),
    /**
     * Signed up at a domain an organization claims: the account joins that organization when
     * its email is verified, and until then belongs to none (organization_id is null).
     */
    domainJoinPending: boolean('domain_join_pending').notNull().default(false),
  },
  (t) => [
    unique('users_email_key').on(t.email),
    foreignKey({
      name: 'users_organization_id_fkey',
      columns: [t.organizationId],
      foreignColumns: [organizations.id],
    }).onDelete('set null'),
    index('idx_users_email').on(t.email),
    index('idx_users_organization').on(t.organizationId),
  ],
);

export const audits = pgTable(
  'audits',
  {
    id: id(),
    organizationId: varchar('organization_id', { length: 50 }),
    userId: varchar('user_id', { length: 50 }),
    name: varchar('name', { length: 255 }).notNull(),
    stackData: jsonb('stack_data').$type<unknown>(),
    status: varchar('status', { length: 50 }).default('pending'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    completedAt: timestamptz('completed_at'),
    // Beyond the seed (migration 0003): the analysis queue lives on the audit row itself.
    /** Why the last analysis failed (status 'failed'). */
    error: text('error'),
    /** Bumped whenever a fresh analysis is queued: a run finishing for an older generation is discarded. */
    analysisGeneration: integer('analysis_generation').notNull().default(0),
    /** While 'analyzing': until when the worker that claimed it holds it; past that, anyone may take it over. */
    analysisLeaseUntil: timestamptz('analysis_lease_until'),
    analysisAttempts: integer('analysis_attempts').notNull().default(0),
    /** From the latest completed analysis, for lists without reading every analysis. */
    toolCount: integer('tool_count'),
    totalMonthlyCost: numeric('total_monthly_cost', { precision: 12, scale: 2 }),
    potentialMonthlySavings: numeric('potential_monthly_savings', { precision: 12, scale: 2 }),
  },
  (t) => [
    foreignKey({
      name: 'audits_organization_id_fkey',
      columns: [t.organizationId],
      foreignColumns: [organizations.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'audits_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('set null'),
    index('idx_audits_organization').on(t.organizationId),
    index('idx_audits_user').on(t.userId),
    index('idx_audits_status').on(t.status),
    // Plain DESC (= NULLS FIRST): drizzle's bare .desc() means NULLS LAST, which is not
    // the seed's index and which PostgreSQL cannot use for ORDER BY created_at DESC.
    index('idx_audits_created').on(t.createdAt.desc().nullsFirst()),
    // Beyond the seed (migration 0001): the newest-first list of one organization's audits.
    index('idx_audits_org_created').on(t.organizationId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // "This audit, of this organization" answered from one index entry. Every statement is a
    // prepared one (db/postgres-statements.ts) and PostgreSQL may keep a generic plan, made
    // for an average organization: for `id = $1 AND organization_id = $2` reading no other
    // column, that plan walked idx_audits_org_created through the whole organization (10 k
    // entries of the largest one in the bench, for each new comment and each tenant check).
    // With both columns in one unique index, one entry is always the cheapest plan.
    uniqueIndex('idx_audits_id_org').on(t.id, t.organizationId),
    // The analysis queue: only audits waiting or in progress are in this index.
    index('idx_audits_analysis_queue')
      .on(t.updatedAt)
      .where(sql`${t.status} IN ('pending', 'analyzing')`),
  ],
);

export const analysisResults = pgTable(
  'analysis_results',
  {
    id: id(),
    auditId: varchar('audit_id', { length: 50 }),
    summary: jsonb('summary').$type<unknown>(),
    recommendations: jsonb('recommendations').$type<unknown>(),
    costAnalysis: jsonb('cost_analysis').$type<unknown>(),
    riskAssessment: jsonb('risk_assessment').$type<unknown>(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: 'analysis_results_audit_id_fkey',
      columns: [t.auditId],
      foreignColumns: [audits.id],
    }).onDelete('cascade'),
    index('idx_analysis_audit').on(t.auditId),
    index('idx_analysis_audit_created').on(t.auditId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);

export const subscriptions = pgTable(
  'subscriptions',
  {
    id: id(),
    organizationId: varchar('organization_id', { length: 50 }),
    stripeSubscriptionId: varchar('stripe_subscription_id', { length: 100 }),
    plan: varchar('plan', { length: 50 }).notNull(),
    status: varchar('status', { length: 50 }).default('active'),
    currentPeriodStart: timestamptz('current_period_start'),
    currentPeriodEnd: timestamptz('current_period_end'),
    cancelAtPeriodEnd: boolean('cancel_at_period_end').default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // Beyond the seed (0005): the Stripe customer, and the `created` time of the last Stripe
    // event applied to this subscription (older events arriving late are ignored).
    stripeCustomerId: varchar('stripe_customer_id', { length: 100 }),
    lastEventAt: timestamptz('last_event_at'),
  },
  (t) => [
    foreignKey({
      name: 'subscriptions_organization_id_fkey',
      columns: [t.organizationId],
      foreignColumns: [organizations.id],
    }).onDelete('cascade'),
    index('idx_subscriptions_org').on(t.organizationId),
    index('idx_subscriptions_stripe').on(t.stripeSubscriptionId),
    // Beyond the seed (0005): one row per Stripe subscription, whatever order its events come in.
    uniqueIndex('subscriptions_stripe_subscription_id_key').on(t.stripeSubscriptionId),
    // Maintenance finds ended subscriptions whose period is over.
    index('idx_subscriptions_status_period_end').on(t.status, t.currentPeriodEnd),
  ],
);

export const teamInvites = pgTable(
  'team_invites',
  {
    id: id(),
    organizationId: varchar('organization_id', { length: 50 }),
    email: varchar('email', { length: 255 }).notNull(),
    role: varchar('role', { length: 50 }).default('member'),
    invitedBy: varchar('invited_by', { length: 50 }),
    token: varchar('token', { length: 255 }).notNull(),
    status: varchar('status', { length: 50 }).default('pending'),
    expiresAt: timestamptz('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('team_invites_token_key').on(t.token),
    foreignKey({
      name: 'team_invites_organization_id_fkey',
      columns: [t.organizationId],
      foreignColumns: [organizations.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'team_invites_invited_by_fkey',
      columns: [t.invitedBy],
      foreignColumns: [users.id],
    }).onDelete('set null'),
    index('idx_invites_org').on(t.organizationId),
    index('idx_invites_email').on(t.email),
    index('idx_invites_token').on(t.token),
  ],
);

export const auditComments = pgTable(
  'audit_comments',
  {
    id: id(),
    auditId: varchar('audit_id', { length: 50 }),
    userId: varchar('user_id', { length: 50 }),
    parentId: varchar('parent_id', { length: 50 }),
    content: text('content').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: 'audit_comments_audit_id_fkey',
      columns: [t.auditId],
      foreignColumns: [audits.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'audit_comments_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('set null'),
    foreignKey({
      name: 'audit_comments_parent_id_fkey',
      columns: [t.parentId],
      foreignColumns: [t.id],
    }).onDelete('cascade'),
    index('idx_comments_audit').on(t.auditId),
    index('idx_comments_user').on(t.userId),
    index('idx_comments_parent').on(t.parentId),
    index('idx_comments_audit_created').on(t.auditId, t.createdAt, t.id),
  ],
);

/**
 * The comments whose people have not been told yet: one row (the job) written with the
 * comment, deleted by the fan-out worker in the transaction that writes their notifications
 * and emails (jobs/comment-fanout.worker.ts). A table of its own, not a flag on the comment:
 * taking a job is a DELETE from a table of a few rows, where updating a flag would rewrite
 * the comment and every one of its indexes.
 */
export const commentFanoutQueue = pgTable(
  'comment_fanout_queue',
  {
    commentId: varchar('comment_id', { length: 50 }).primaryKey(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'comment_fanout_queue_comment_id_fkey',
      columns: [t.commentId],
      foreignColumns: [auditComments.id],
    }).onDelete('cascade'),
    // Taken oldest first.
    index('idx_comment_fanout_queue_created').on(t.createdAt, t.commentId),
  ],
);

/**
 * Who follows an audit's comments for having commented on it: one row per audit and person,
 * written with their first comment on it (in the comment's own statement) and kept if that
 * comment is deleted. The comment fan-out asks it, by its primary key, whether a member had
 * commented before a new comment. Asked of audit_comments, that question had no stable plan:
 * for `audit_id = <outer column>` PostgreSQL estimates about one comment per audit whatever
 * the statistics, so a probe of (audit_id, user_id) and a walk of idx_comments_audit cost the
 * same to it, and it walked an audit's 60 k comments for every member (0.2–0.8 s a batch in
 * the benchmark).
 */
export const auditCommenters = pgTable(
  'audit_commenters',
  {
    auditId: varchar('audit_id', { length: 50 }).notNull(),
    userId: varchar('user_id', { length: 50 }).notNull(),
    firstCommentedAt: timestamptz('first_commented_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'audit_commenters_pkey', columns: [t.auditId, t.userId] }),
    foreignKey({
      name: 'audit_commenters_audit_id_fkey',
      columns: [t.auditId],
      foreignColumns: [audits.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'audit_commenters_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('cascade'),
    // A user's deletion finds their rows.
    index('idx_commenters_user').on(t.userId),
  ],
);

export const auditShares = pgTable(
  'audit_shares',
  {
    id: id(),
    auditId: varchar('audit_id', { length: 50 }),
    visibility: varchar('visibility', { length: 50 }).default('private'),
    shareToken: varchar('share_token', { length: 255 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('audit_shares_share_token_key').on(t.shareToken),
    unique('audit_shares_audit_id_key').on(t.auditId),
    foreignKey({
      name: 'audit_shares_audit_id_fkey',
      columns: [t.auditId],
      foreignColumns: [audits.id],
    }).onDelete('cascade'),
    index('idx_shares_audit').on(t.auditId),
    index('idx_shares_token').on(t.shareToken),
  ],
);

export const auditUserShares = pgTable(
  'audit_user_shares',
  {
    id: id(),
    auditId: varchar('audit_id', { length: 50 }),
    userId: varchar('user_id', { length: 50 }),
    permission: varchar('permission', { length: 50 }).default('view'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('audit_user_shares_audit_id_user_id_key').on(t.auditId, t.userId),
    foreignKey({
      name: 'audit_user_shares_audit_id_fkey',
      columns: [t.auditId],
      foreignColumns: [audits.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'audit_user_shares_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('cascade'),
    index('idx_user_shares_audit').on(t.auditId),
    index('idx_user_shares_user').on(t.userId),
  ],
);

export const commentReactions = pgTable(
  'comment_reactions',
  {
    id: id(),
    commentId: varchar('comment_id', { length: 50 }),
    userId: varchar('user_id', { length: 50 }),
    reaction: varchar('reaction', { length: 50 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('comment_reactions_comment_id_user_id_reaction_key').on(t.commentId, t.userId, t.reaction),
    foreignKey({
      name: 'comment_reactions_comment_id_fkey',
      columns: [t.commentId],
      foreignColumns: [auditComments.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'comment_reactions_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('cascade'),
    index('idx_reactions_comment').on(t.commentId),
  ],
);

export const collaborationActivity = pgTable(
  'collaboration_activity',
  {
    id: id(),
    organizationId: varchar('organization_id', { length: 50 }),
    auditId: varchar('audit_id', { length: 50 }),
    userId: varchar('user_id', { length: 50 }),
    action: varchar('action', { length: 100 }).notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: 'collaboration_activity_organization_id_fkey',
      columns: [t.organizationId],
      foreignColumns: [organizations.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'collaboration_activity_audit_id_fkey',
      columns: [t.auditId],
      foreignColumns: [audits.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'collaboration_activity_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('set null'),
    index('idx_activity_org').on(t.organizationId),
    index('idx_activity_audit').on(t.auditId),
    index('idx_activity_created').on(t.createdAt.desc().nullsFirst()),
    index('idx_activity_org_created').on(t.organizationId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);

export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    id: id(),
    userId: varchar('user_id', { length: 50 }),
    emailComments: boolean('email_comments').default(true),
    emailMentions: boolean('email_mentions').default(true),
    emailShares: boolean('email_shares').default(true),
    emailWeeklyDigest: boolean('email_weekly_digest').default(true),
    inAppComments: boolean('in_app_comments').default(true),
    inAppMentions: boolean('in_app_mentions').default(true),
    /** Beyond the seed (0011): renewal reminders by email (to admins and the tool's owner). */
    emailRenewalReminders: boolean('email_renewal_reminders').default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('notification_preferences_user_id_key').on(t.userId),
    foreignKey({
      name: 'notification_preferences_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('cascade'),
    index('idx_notif_prefs_user').on(t.userId),
  ],
);

export const integrationCredentials = pgTable(
  'integration_credentials',
  {
    id: id(),
    organizationId: varchar('organization_id', { length: 50 }),
    provider: varchar('provider', { length: 100 }).notNull(),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    tokenExpiresAt: timestamptz('token_expires_at'),
    config: jsonb('config').$type<Record<string, unknown>>().default({}),
    lastSyncAt: timestamptz('last_sync_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // Beyond the seed (0007): the connection's state and its sync queue (the row is the job,
    // like an audit's analysis): connected | needs_reconnect | error; idle | queued | running.
    status: varchar('status', { length: 30 }).notNull().default('connected'),
    lastError: text('last_error'),
    syncStatus: varchar('sync_status', { length: 20 }).notNull().default('idle'),
    syncAttempts: integer('sync_attempts').notNull().default(0),
    nextSyncAt: timestamptz('next_sync_at'),
    syncLeaseUntil: timestamptz('sync_lease_until'),
  },
  (t) => [
    unique('integration_credentials_organization_id_provider_key').on(t.organizationId, t.provider),
    index('idx_integration_sync_queue')
      .on(t.syncStatus, t.nextSyncAt)
      .where(sql`${t.syncStatus} IN ('queued', 'running')`),
    foreignKey({
      name: 'integration_credentials_organization_id_fkey',
      columns: [t.organizationId],
      foreignColumns: [organizations.id],
    }).onDelete('cascade'),
    index('idx_integration_org').on(t.organizationId),
    index('idx_integration_provider').on(t.provider),
  ],
);

export const toolCosts = pgTable(
  'tool_costs',
  {
    id: id(),
    organizationId: varchar('organization_id', { length: 50 }),
    source: varchar('source', { length: 100 }).notNull(),
    toolName: varchar('tool_name', { length: 255 }).notNull(),
    vendor: varchar('vendor', { length: 255 }),
    amount: numeric('amount', { precision: 12, scale: 2 }).notNull(),
    currency: varchar('currency', { length: 10 }).default('USD'),
    billingPeriodStart: date('billing_period_start'),
    billingPeriodEnd: date('billing_period_end'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().default({}),
    importedAt: timestamptz('imported_at').defaultNow(),
    createdAt: createdAt(),
    /**
     * Beyond the seed (0010): 'software' lines count as spend; a charge the importer did not
     * recognise waits as 'unreviewed' until someone says it is software or 'not_software'.
     */
    review: varchar('review', { length: 20 }).notNull().default('software'),
  },
  (t) => [
    foreignKey({
      name: 'tool_costs_organization_id_fkey',
      columns: [t.organizationId],
      foreignColumns: [organizations.id],
    }).onDelete('cascade'),
    index('idx_tool_costs_org').on(t.organizationId),
    index('idx_tool_costs_source').on(t.source),
    index('idx_tool_costs_period').on(t.billingPeriodStart, t.billingPeriodEnd),
    index('idx_tool_costs_org_created').on(t.organizationId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // Beyond the seed (0006): a line imported twice (a statement re-uploaded, a sync re-run) is
    // found by its stable external id; the summary and the list filter by period and by source.
    uniqueIndex('tool_costs_org_source_external_id_key')
      .on(t.organizationId, t.source, sql`(${t.metadata} ->> 'externalId')`)
      .where(sql`(${t.metadata} ->> 'externalId') IS NOT NULL`),
    index('idx_tool_costs_org_period').on(t.organizationId, t.billingPeriodStart),
    // Beyond the seed (0011): annual contracts by when they end (renewals from spend).
    index('idx_tool_costs_org_period_end').on(t.organizationId, t.billingPeriodEnd),
    // The review screen: an organization's lines waiting for a decision, newest first.
    index('idx_tool_costs_org_review_created').on(
      t.organizationId,
      t.review,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    // A decision about a merchant finds its lines waiting for review.
    index('idx_tool_costs_org_unreviewed_merchant')
      .on(t.organizationId, sql`(${t.metadata} ->> 'merchantKey')`)
      .where(sql`${t.review} = 'unreviewed'`),
    index('idx_tool_costs_org_source_created').on(
      t.organizationId,
      t.source,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
  ],
);

/**
 * Beyond the seed (0010): what an organization decided about a kind of charge, by its
 * merchant key (domain/statements/vendors.ts `merchantKey`): software (as which tool) or not.
 * Applied to later imports and syncs, so a charge is reviewed once.
 */
export const vendorRules = pgTable(
  'vendor_rules',
  {
    id: id(),
    organizationId: varchar('organization_id', { length: 50 }).notNull(),
    merchantKey: varchar('merchant_key', { length: 255 }).notNull(),
    /** 'software' or 'not_software'. */
    decision: varchar('decision', { length: 20 }).notNull(),
    toolName: varchar('tool_name', { length: 255 }),
    vendor: varchar('vendor', { length: 255 }),
    decidedBy: varchar('decided_by', { length: 50 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: 'vendor_rules_organization_id_fkey',
      columns: [t.organizationId],
      foreignColumns: [organizations.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'vendor_rules_decided_by_fkey',
      columns: [t.decidedBy],
      foreignColumns: [users.id],
    }).onDelete('set null'),
    uniqueIndex('vendor_rules_org_merchant_key').on(t.organizationId, t.merchantKey),
  ],
);

/**
 * Beyond the seed (0010): a recommendation someone decided to act on, with the saving the
 * analysis expected; the books then tell whether it was seen (services/savings.service.ts).
 * `recommendation_key` identifies it across re-analyses: its type and tools.
 */
export const acceptedRecommendations = pgTable(
  'accepted_recommendations',
  {
    id: id(),
    organizationId: varchar('organization_id', { length: 50 }).notNull(),
    /** Null once the audit is deleted (retention): the decision and what the books show stay. */
    auditId: varchar('audit_id', { length: 50 }),
    recommendationKey: varchar('recommendation_key', { length: 600 }).notNull(),
    type: varchar('type', { length: 50 }).notNull(),
    title: varchar('title', { length: 500 }).notNull(),
    tools: jsonb('tools').$type<string[]>().notNull(),
    expectedMonthlySavings: numeric('expected_monthly_savings', { precision: 12, scale: 2 }).notNull(),
    currency: varchar('currency', { length: 10 }).notNull(),
    acceptedBy: varchar('accepted_by', { length: 50 }),
    acceptedAt: timestamptz('accepted_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'accepted_recommendations_organization_id_fkey',
      columns: [t.organizationId],
      foreignColumns: [organizations.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'accepted_recommendations_audit_id_fkey',
      columns: [t.auditId],
      foreignColumns: [audits.id],
    }).onDelete('set null'),
    foreignKey({
      name: 'accepted_recommendations_accepted_by_fkey',
      columns: [t.acceptedBy],
      foreignColumns: [users.id],
    }).onDelete('set null'),
    uniqueIndex('accepted_recommendations_audit_key').on(t.auditId, t.recommendationKey),
    // The dashboard: an organization's accepted recommendations, oldest first.
    index('idx_accepted_recommendations_org_accepted').on(t.organizationId, t.acceptedAt, t.id),
  ],
);

// ---------------------------------------------------------------------------------------
// Beyond the seed plan (migration 0002): what accounts need.
// ---------------------------------------------------------------------------------------

/** Login sessions. Only the SHA-256 of the token is stored; the token is the client's. */
export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    tokenHash: varchar('token_hash', { length: 64 }).notNull(),
    userId: varchar('user_id', { length: 50 })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    lastSeenAt: timestamptz('last_seen_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    userAgent: varchar('user_agent', { length: 255 }),
    ip: varchar('ip', { length: 64 }),
  },
  (t) => [
    unique('sessions_token_hash_key').on(t.tokenHash),
    index('idx_sessions_user').on(t.userId),
    index('idx_sessions_expires').on(t.expiresAt),
  ],
);

/**
 * Single-use links sent by email (migration 0009): email verification and password reset.
 * Only the SHA-256 of the token is stored. `email` is the address the link went to: a link
 * for an address the user no longer has proves nothing.
 */
export const accountTokens = pgTable(
  'account_tokens',
  {
    id: id(),
    userId: varchar('user_id', { length: 50 })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** 'verify_email' | 'password_reset' */
    purpose: varchar('purpose', { length: 30 }).notNull(),
    tokenHash: varchar('token_hash', { length: 64 }).notNull(),
    email: varchar('email', { length: 255 }).notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    unique('account_tokens_token_hash_key').on(t.tokenHash),
    // A user's outstanding links of one kind are retired together (a reset retires every reset link).
    index('idx_account_tokens_user_purpose').on(t.userId, t.purpose),
    index('idx_account_tokens_expires').on(t.expiresAt),
  ],
);

/**
 * Fixed-window counters shared by every instance: one row per (limit, subject) key, e.g.
 * `login:account:ada@example.com`. The window restarts when `reset_at` has passed.
 */
export const rateLimitCounters = pgTable(
  'rate_limit_counters',
  {
    key: varchar('key', { length: 300 }).primaryKey(),
    count: integer('count').notNull(),
    resetAt: timestamptz('reset_at').notNull(),
  },
  (t) => [index('idx_rate_limit_reset').on(t.resetAt)],
);

/** Email to send: written in the same transaction as what caused it, sent by the outbox job. */
export const emailOutbox = pgTable(
  'email_outbox',
  {
    id: id(),
    organizationId: varchar('organization_id', { length: 50 }).references(() => organizations.id, {
      onDelete: 'set null',
    }),
    template: varchar('template', { length: 100 }).notNull(),
    toAddress: varchar('to_address', { length: 255 }).notNull(),
    subject: varchar('subject', { length: 500 }).notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    /** pending → sending → sent | logged (no SMTP configured) | failed (attempts exhausted). */
    status: varchar('status', { length: 20 }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    sentAt: timestamptz('sent_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    // What the outbox job claims, in the order it claims it: read in index order, a batch
    // stops after its LIMIT instead of sorting every due message (repositories/email-outbox).
    index('idx_outbox_due')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} IN ('pending', 'sending')`),
    // Messages given up on, for /metrics: few, and never in the way of the claim's index.
    index('idx_outbox_failed')
      .on(t.createdAt)
      .where(sql`${t.status} = 'failed'`),
  ],
);

/** In-app notifications of one user (mentions, shares, comments). */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    organizationId: varchar('organization_id', { length: 50 })
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: varchar('user_id', { length: 50 })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: varchar('type', { length: 50 }).notNull(),
    auditId: varchar('audit_id', { length: 50 }).references(() => audits.id, { onDelete: 'cascade' }),
    commentId: varchar('comment_id', { length: 50 }).references(() => auditComments.id, { onDelete: 'cascade' }),
    actorId: varchar('actor_id', { length: 50 }).references(() => users.id, { onDelete: 'set null' }),
    text: text('text').notNull(),
    readAt: timestamptz('read_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('idx_notifications_user_created').on(t.userId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('idx_notifications_user_unread')
      .on(t.userId)
      .where(sql`${t.readAt} IS NULL`),
  ],
);

/** One row per user and week whose digest was sent (migration 0004): each digest goes out once. */
export const digestRuns = pgTable(
  'digest_runs',
  {
    userId: varchar('user_id', { length: 50 })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    weekStart: date('week_start').notNull(),
    sentAt: timestamptz('sent_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'digest_runs_pkey', columns: [t.userId, t.weekStart] })],
);

/**
 * Stripe events applied (migration 0005), by Stripe's event id: a retried or duplicated
 * delivery finds its id here and changes nothing. Pruned after 30 days (Stripe retries for 3).
 */
export const stripeEvents = pgTable(
  'stripe_events',
  {
    id: varchar('id', { length: 255 }).primaryKey(),
    type: varchar('type', { length: 100 }).notNull(),
    /** The event's own `created` time at Stripe. */
    createdAtStripe: timestamptz('created_at_stripe').notNull(),
    receivedAt: timestamptz('received_at').notNull().defaultNow(),
  },
  (t) => [index('idx_stripe_events_received').on(t.receivedAt)],
);

/**
 * An organization's exchange rates (migration 0006): 1 unit of `currency` = `rate` units of
 * the organization's base currency (settings.baseCurrency). Admins edit them; nothing is
 * fetched from the network.
 */
export const exchangeRates = pgTable(
  'exchange_rates',
  {
    organizationId: varchar('organization_id', { length: 50 })
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    currency: varchar('currency', { length: 3 }).notNull(),
    rate: numeric('rate', { precision: 20, scale: 10 }).notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'exchange_rates_pkey', columns: [t.organizationId, t.currency] })],
);

/**
 * OAuth authorization requests in flight (migration 0007): the `state` sent to the provider
 * (kept as its SHA-256), bound to the admin's session, with the PKCE verifier (sealed). Used
 * once, within 10 minutes.
 */
export const oauthStates = pgTable(
  'oauth_states',
  {
    stateHash: varchar('state_hash', { length: 64 }).primaryKey(),
    organizationId: varchar('organization_id', { length: 50 })
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: varchar('user_id', { length: 50 })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    sessionId: varchar('session_id', { length: 50 }).notNull(),
    provider: varchar('provider', { length: 100 }).notNull(),
    codeVerifier: text('code_verifier').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('idx_oauth_states_expires').on(t.expiresAt)],
);

/**
 * Beyond the seed (0011): the renewal reminders sent, one row per tool, date (the cancel-by
 * date, else the renewal date) and lead time. The row is the claim: an instance sends a
 * reminder only if its INSERT made the row, so however many instances run the hourly job,
 * and across restarts, each reminder goes out once.
 */
export const renewalReminders = pgTable(
  'renewal_reminders',
  {
    organizationId: varchar('organization_id', { length: 50 })
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** The tool's name, normalised (catalog aliases merged), as renewals are keyed. */
    toolKey: varchar('tool_key', { length: 255 }).notNull(),
    dueDate: date('due_date').notNull(),
    leadDays: integer('lead_days').notNull(),
    sentAt: timestamptz('sent_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'renewal_reminders_pkey', columns: [t.organizationId, t.toolKey, t.dueDate, t.leadDays] }),
  ],
);

/**
 * Beyond the seed (0011): an organization's calendar feed (.ics) — the SHA-256 of the secret
 * token in its URL, never the token; a new token replaces the old one (the old URL stops).
 */
export const calendarFeeds = pgTable(
  'calendar_feeds',
  {
    organizationId: varchar('organization_id', { length: 50 })
      .primaryKey()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    tokenHash: varchar('token_hash', { length: 64 }).notNull(),
    createdBy: varchar('created_by', { length: 50 }).references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('calendar_feeds_token_hash_key').on(t.tokenHash)],
);

/**
 * Beyond the seed (0011): usage of each app as an identity provider last reported it (a
 * sync replaces its provider's rows): seats bought and assigned, people active in the last
 * 30 and 90 days, and the catalog tool the app is (null: unmatched, known by its own name).
 */
export const appUsage = pgTable(
  'app_usage',
  {
    organizationId: varchar('organization_id', { length: 50 })
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** 'google' | 'microsoft' | 'okta'. */
    provider: varchar('provider', { length: 50 }).notNull(),
    /** The app's name, lower-cased: one row per app and provider. */
    appKey: varchar('app_key', { length: 255 }).notNull(),
    appName: varchar('app_name', { length: 255 }).notNull(),
    toolName: varchar('tool_name', { length: 255 }),
    purchased: integer('purchased'),
    assigned: integer('assigned'),
    active30: integer('active_30').notNull(),
    active90: integer('active_90').notNull(),
    users: integer('users').notNull(),
    /** 'sign_in' | 'licence' | 'oauth_grant': what "active" rests on (grants never replace typed seats). */
    evidence: varchar('evidence', { length: 20 }).$type<'sign_in' | 'licence' | 'oauth_grant'>().notNull(),
    syncedAt: timestamptz('synced_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'app_usage_pkey', columns: [t.organizationId, t.provider, t.appKey] })],
);

/**
 * Beyond the seed (0014): the AI narrative of an analysis, and its queue — the row is the
 * state (pending → ready or dropped), claimed with SKIP LOCKED and a lease as analyses are.
 * `content` holds the narrative as rendered with the engine's figures (services/ai.service.ts).
 */
export const auditNarratives = pgTable(
  'audit_narratives',
  {
    analysisId: varchar('analysis_id', { length: 50 })
      .primaryKey()
      .references(() => analysisResults.id, { onDelete: 'cascade' }),
    organizationId: varchar('organization_id', { length: 50 })
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    auditId: varchar('audit_id', { length: 50 })
      .notNull()
      .references(() => audits.id, { onDelete: 'cascade' }),
    status: varchar('status', { length: 20 }).$type<'pending' | 'ready' | 'dropped'>().notNull().default('pending'),
    /** Calls that failed to reach the model (the endpoint down): retried later, then dropped. */
    attempts: integer('attempts').notNull().default(0),
    runAfter: timestamptz('run_after').notNull().defaultNow(),
    lockedUntil: timestamptz('locked_until'),
    content: jsonb('content').$type<unknown>(),
    model: varchar('model', { length: 255 }),
    /** Why it was dropped (a refused answer, the endpoint, the budget): for the log and admins, never the content. */
    reason: varchar('reason', { length: 500 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('idx_audit_narratives_due')
      .on(t.runAfter)
      .where(sql`status = 'pending'`),
    index('idx_audit_narratives_audit').on(t.auditId),
    index('idx_audit_narratives_organization').on(t.organizationId),
  ],
);

/**
 * Beyond the seed (0014): every call to the model — kind, model, tokens, latency, outcome,
 * never its content. A call holds its estimated tokens while under way (`reserved_tokens`),
 * so concurrent calls cannot pass the organization's daily budget together; `day` is the
 * organization's calendar day.
 */
export const aiCalls = pgTable(
  'ai_calls',
  {
    id: id(),
    organizationId: varchar('organization_id', { length: 50 })
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    auditId: varchar('audit_id', { length: 50 }).references(() => audits.id, { onDelete: 'set null' }),
    userId: varchar('user_id', { length: 50 }).references(() => users.id, { onDelete: 'set null' }),
    kind: varchar('kind', { length: 20 }).$type<'narrative' | 'question'>().notNull(),
    model: varchar('model', { length: 255 }).notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    reservedTokens: integer('reserved_tokens').notNull(),
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
    /** Null while under way; then the tokens used (estimated where the server reported none). */
    totalTokens: integer('total_tokens'),
    tokensEstimated: boolean('tokens_estimated').notNull().default(false),
    latencyMs: integer('latency_ms'),
    outcome: varchar('outcome', { length: 20 })
      .$type<'running' | 'ok' | 'refused' | 'failed' | 'cancelled'>()
      .notNull()
      .default('running'),
    createdAt: createdAt(),
  },
  (t) => [
    index('idx_ai_calls_organization_day').on(t.organizationId, t.day),
    index('idx_ai_calls_audit').on(t.auditId),
    index('idx_ai_calls_user').on(t.userId),
    // Calls a dead process left running (the hourly maintenance ends them).
    index('idx_ai_calls_running')
      .on(t.createdAt)
      .where(sql`outcome = 'running'`),
  ],
);
