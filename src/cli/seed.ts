/**
 * `npm run seed`: the seed plan's demo organization and user (SEED-PLAN.md §7):
 * org_demo_123 "Demo Company" on the pro plan, user_demo_123 demo@stackaudit.ai /
 * demo123 as its admin — and, so that the demo shows the product rather than an empty page,
 * a 48-person company's analysed audit, six whole months of software spend (with a charge
 * waiting for review), a short comment thread, and the Teams → Slack consolidation accepted
 * three months ago, whose saving the books now show. Idempotent: rows that exist are left as
 * they are, and the demo content is added once.
 */
import bcrypt from 'bcryptjs';

import { randomBytes } from 'node:crypto';

import type { Database, Executor } from '../db/database.js';
import { analyze } from '../domain/analysis/engine.js';
import type { StackData, Tool } from '../domain/analysis/stack.js';
import { merchantKey } from '../domain/statements/vendors.js';
import { AcceptedRecommendationRepository } from '../repositories/accepted-recommendation.repository.js';
import { AnalysisResultRepository } from '../repositories/analysis-result.repository.js';
import { AuditCommentRepository } from '../repositories/audit-comment.repository.js';
import { AuditRepository } from '../repositories/audit.repository.js';
import { CollaborationActivityRepository } from '../repositories/collaboration-activity.repository.js';
import { ToolCostRepository, type NewToolCost } from '../repositories/tool-cost.repository.js';
import { recommendationKey } from '../domain/savings-verification.js';
import { transaction } from '../db/database.js';
import { OrganizationRepository } from '../repositories/organization.repository.js';
import { UserRepository } from '../repositories/user.repository.js';

export const DEMO = {
  organizationId: 'org_demo_123',
  userId: 'user_demo_123',
  email: 'demo@stackaudit.ai',
  password: 'demo123',
} as const;

export interface SeedResult {
  organizationCreated: boolean;
  userCreated: boolean;
  /** The demo audit, made now or earlier. */
  auditId: string;
  demoContentCreated: boolean;
}

/** The demo audit: the stack of a 48-person company, as issue #16 describes it. */
export const DEMO_AUDIT = { id: 'audit_demo_123', name: 'Q4 software stack' } as const;

const monthly = (name: string, monthlyCost: number, seats: number, activeSeats: number, owner: string): Tool => ({
  name,
  monthlyCost,
  billingCycle: 'monthly',
  seats,
  activeSeats,
  owner,
});

export const DEMO_STACK: StackData = {
  currency: 'USD',
  employeeCount: 48,
  tools: [
    { ...monthly('Slack', 437.5, 50, 47, 'it@demo.stackaudit.ai'), renewalDate: '2026-03-01' },
    monthly('Microsoft Teams', 200, 50, 5, 'it@demo.stackaudit.ai'),
    monthly('Asana', 337.25, 25, 11, 'ops@demo.stackaudit.ai'),
    { ...monthly('Jira', 430, 50, 44, 'eng@demo.stackaudit.ai'), noticePeriodDays: 30 },
    monthly('Notion', 240, 20, 19, 'ops@demo.stackaudit.ai'),
    monthly('Confluence', 128, 20, 3, 'eng@demo.stackaudit.ai'),
    monthly('Dropbox', 180, 12, 2, 'ops@demo.stackaudit.ai'),
    { ...monthly('Zoom', 159.9, 10, 9, 'it@demo.stackaudit.ai'), renewalDate: '2026-01-15' },
  ],
};

/** The first day of the month `offset` months from `now`'s (UTC), 'YYYY-MM-DD'. */
const monthStart = (now: Date, offset: number) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 10);

/**
 * The demo's content, once: the audit with its analysis (computed here, as the worker
 * would), spend, comments and an accepted recommendation, in the transaction `tx`.
 */
async function seedDemoContent(tx: Executor, now: Date): Promise<boolean> {
  const organizationId = DEMO.organizationId;
  const audits = new AuditRepository(tx);
  if (await audits.findById(organizationId, DEMO_AUDIT.id)) return false;
  await new UserRepository(tx).createIfAbsent({
    id: DEMO_TEAMMATE.id,
    email: DEMO_TEAMMATE.email,
    // Nobody logs in as the teammate: a password nobody knows.
    passwordHash: await bcrypt.hash(randomBytes(32).toString('hex'), 10),
    name: DEMO_TEAMMATE.name,
    organizationId,
    role: 'member',
    plan: 'pro',
  });
  const audit = await audits.create({
    id: DEMO_AUDIT.id,
    organizationId,
    userId: DEMO.userId,
    name: DEMO_AUDIT.name,
    stackData: DEMO_STACK,
    status: 'analyzing',
  });
  const analysis = analyze({ stack: DEMO_STACK, today: now.toISOString().slice(0, 10) });
  await new AnalysisResultRepository(tx).create(organizationId, {
    auditId: audit.id,
    summary: analysis.summary,
    recommendations: analysis.recommendations,
    costAnalysis: analysis.costAnalysis,
    riskAssessment: analysis.riskAssessment,
  });
  await audits.completeAnalysis(organizationId, audit.id, audit.analysisGeneration, {
    toolCount: analysis.summary.toolCount,
    totalMonthlyCost: analysis.summary.totalMonthlyCost.toFixed(2),
    potentialMonthlySavings: analysis.summary.potentialMonthlySavings.toFixed(2),
  });
  const activity = new CollaborationActivityRepository(tx);
  await activity.record(organizationId, { auditId: audit.id, userId: DEMO.userId, action: 'audit_created' });
  await activity.record(organizationId, { auditId: audit.id, userId: null, action: 'analysis_completed' });

  const comments = new AuditCommentRepository(tx);
  const question = await comments.create(organizationId, {
    auditId: audit.id,
    userId: DEMO_TEAMMATE.id,
    content: 'Can we really retire Teams? Sales still uses it with two customers.',
  });
  await comments.create(organizationId, {
    auditId: audit.id,
    userId: DEMO.userId,
    parentId: question!.id,
    content: 'Both customers take Slack Connect invitations: the five Teams users move to Slack next month.',
  });
  await activity.record(organizationId, { auditId: audit.id, userId: DEMO_TEAMMATE.id, action: 'comment_added' });

  // Six whole months of spend: Teams until the month the consolidation was accepted, then
  // Slack with the two seats it had to add; the rest steady; one charge nobody recognised.
  const lines: NewToolCost[] = [];
  const add = (toolName: string, amount: string, offset: number) =>
    lines.push({
      source: 'csv',
      toolName,
      amount,
      billingPeriodStart: monthStart(now, offset),
      billingPeriodEnd: monthStart(now, offset),
      // By calendar month: a later run (after the demo audit was deleted) adds only new months.
      metadata: { externalId: `demo:${toolName}:${monthStart(now, offset).slice(0, 7)}` },
    });
  for (let offset = -6; offset <= -1; offset++) {
    add('Slack', offset <= -3 ? '437.50' : '455.00', offset);
    if (offset <= -3) add('Microsoft Teams', '200.00', offset);
    add('Asana', '337.25', offset);
    add('Jira', '430.00', offset);
    add('Notion', '240.00', offset);
    add('Confluence', '128.00', offset);
    add('Dropbox', '180.00', offset);
    add('Zoom', '159.90', offset);
  }
  lines.push({
    source: 'csv',
    review: 'unreviewed',
    toolName: 'LOOPIO INC 866-555-0199 CA',
    amount: '249.00',
    billingPeriodStart: monthStart(now, -1),
    billingPeriodEnd: monthStart(now, -1),
    metadata: {
      externalId: `demo:loopio:${monthStart(now, -1).slice(0, 7)}`,
      merchantKey: merchantKey('LOOPIO INC 866-555-0199 CA'),
    },
  });
  await new ToolCostRepository(tx).insertNew(organizationId, lines);

  // Teams → Slack accepted in the middle of the month three months ago.
  const consolidation = analysis.recommendations.find(
    (r) => r.type === 'consolidate' && r.tools.includes('Microsoft Teams'),
  );
  if (consolidation) {
    await new AcceptedRecommendationRepository(tx).create(organizationId, {
      auditId: audit.id,
      recommendationKey: recommendationKey(consolidation),
      type: consolidation.type,
      title: consolidation.title,
      tools: consolidation.tools,
      expectedMonthlySavings: consolidation.estimatedMonthlySavings.toFixed(2),
      currency: 'USD',
      acceptedBy: DEMO.userId,
      acceptedAt: new Date(`${monthStart(now, -3).slice(0, 8)}15T12:00:00Z`),
    });
  }
  return true;
}

/** A teammate of the demo user, who comments (and cannot log in). */
export const DEMO_TEAMMATE = {
  id: 'user_demo_finance',
  email: 'finance@demo.stackaudit.ai',
  name: 'Maya Finance',
} as const;

export async function seedDemoData(database: Database, now = new Date()): Promise<SeedResult> {
  // A bcrypt hash as the seed plan's script makes it ($2a$, cost 10): the accounts issue
  // verifies such hashes and upgrades them to argon2id on the first login.
  // bcryptjs writes $2b$ by default; the seed plan's hashes (node bcrypt) are $2a$.
  const salt = (await bcrypt.genSalt(10)).replace(/^\$2b\$/, '$2a$');
  const passwordHash = await bcrypt.hash(DEMO.password, salt);
  return transaction(database.db, async (tx) => {
    const organizationCreated = await new OrganizationRepository(tx).createIfAbsent({
      id: DEMO.organizationId,
      name: 'Demo Company',
      plan: 'pro',
      settings: { allowedDomains: [], maxAuditsPerMonth: 50, auditRetentionDays: 90 },
    });
    const userCreated = await new UserRepository(tx).createIfAbsent({
      id: DEMO.userId,
      email: DEMO.email,
      passwordHash,
      name: 'Demo User',
      organizationId: DEMO.organizationId,
      role: 'admin',
      plan: 'pro',
    });
    const demoContentCreated = await seedDemoContent(tx, now);
    return { organizationCreated, userCreated, auditId: DEMO_AUDIT.id, demoContentCreated };
  });
}
