/** Fresh tenants per test, so tests never depend on each other or on global counts. */
import { randomBytes } from 'node:crypto';

import type { Executor } from '../../src/db/database.js';
import { OrganizationRepository, type Organization } from '../../src/repositories/organization.repository.js';
import { UserRepository, type Role, type User } from '../../src/repositories/user.repository.js';
import { AuditRepository, type Audit } from '../../src/repositories/audit.repository.js';

const suffix = () => randomBytes(4).toString('hex');

export async function makeOrganization(db: Executor, name = `Acme ${suffix()}`): Promise<Organization> {
  return new OrganizationRepository(db).create({ name, settings: { allowedDomains: [] } });
}

export async function makeUser(
  db: Executor,
  organizationId: string,
  role: Role = 'member',
  name?: string,
): Promise<User> {
  const tag = suffix();
  return new UserRepository(db).create({
    email: `user-${tag}@example.com`,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$placeholder',
    name: name ?? `User ${tag}`,
    organizationId,
    role,
  });
}

export async function makeTenant(db: Executor) {
  const organization = await makeOrganization(db);
  const admin = await makeUser(db, organization.id, 'admin');
  return { organization, admin };
}

export async function makeAudit(
  db: Executor,
  organizationId: string,
  userId: string | null,
  name = 'Q1 audit',
): Promise<Audit> {
  return new AuditRepository(db).create({
    organizationId,
    userId,
    name,
    stackData: { currency: 'USD', tools: [{ name: 'Slack', monthlyCost: 350 }] },
  });
}
