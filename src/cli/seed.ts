/**
 * `npm run seed`: the seed plan's demo organization and user (SEED-PLAN.md §7):
 * org_demo_123 "Demo Company" on the pro plan, user_demo_123 demo@stackaudit.ai /
 * demo123 as its admin. Idempotent: rows that exist are left as they are.
 */
import bcrypt from 'bcryptjs';

import type { Database } from '../db/database.js';
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
}

export async function seedDemoData(database: Database): Promise<SeedResult> {
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
    return { organizationCreated, userCreated };
  });
}
