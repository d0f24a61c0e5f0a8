import { describe, expect, it } from 'vitest';

import { transaction } from '../../src/db/database.js';
import { isUniqueViolation } from '../../src/errors.js';
import { OrganizationRepository } from '../../src/repositories/organization.repository.js';
import { UserRepository } from '../../src/repositories/user.repository.js';
import { describeEachDatabase } from '../harness/databases.js';
import { makeOrganization, makeTenant, makeUser } from '../harness/factories.js';

describeEachDatabase('organizations and users', (get) => {
  const repos = () => ({
    organizations: new OrganizationRepository(get().database.db),
    users: new UserRepository(get().database.db),
  });

  it('creates an organization with the seed defaults and reads it back', async () => {
    const { organizations } = repos();
    const created = await organizations.create({ name: 'Acme' });
    expect(created.id).toMatch(/^org_[0-9A-HJKMNP-TV-Z]{26}$/);
    const found = await organizations.findById(created.id);
    expect(found).toMatchObject({ name: 'Acme', plan: 'free', settings: {}, stripeCustomerId: null });
    expect(found?.createdAt).toBeInstanceOf(Date);
  });

  it('changes settings, plan and name through explicit methods, and bumps updatedAt', async () => {
    const { organizations } = repos();
    const org = await makeOrganization(get().database.db);
    await new Promise((r) => setTimeout(r, 5));
    const settings = { allowedDomains: ['acme.com'], maxAuditsPerMonth: 7, auditRetentionDays: 30 };
    const updated = await organizations.replaceSettings(org.id, settings);
    expect(updated?.settings).toEqual(settings);
    expect(updated!.updatedAt!.getTime()).toBeGreaterThan(org.updatedAt!.getTime());
    expect((await organizations.setPlan(org.id, 'business'))?.plan).toBe('business');
    expect((await organizations.rename(org.id, 'Acme Inc'))?.name).toBe('Acme Inc');
    expect(await organizations.rename('org_missing', 'x')).toBeNull();
  });

  it('finds an organization by its Stripe customer id', async () => {
    const { organizations } = repos();
    const org = await makeOrganization(get().database.db);
    await organizations.setStripeIds(org.id, { stripeCustomerId: `cus_${org.id}` });
    expect((await organizations.findByStripeCustomerIdAcrossOrganizations(`cus_${org.id}`))?.id).toBe(org.id);
  });

  it('keeps emails unique, case-insensitively', async () => {
    const { users } = repos();
    const { organization, admin } = await makeTenant(get().database.db);
    await expect(
      users.create({ email: admin.email.toUpperCase(), passwordHash: 'x', organizationId: organization.id }),
    ).rejects.toSatisfy(isUniqueViolation);
    expect((await users.findByEmailAcrossOrganizations(` ${admin.email.toUpperCase()} `))?.id).toBe(admin.id);
  });

  it('scopes users to their organization', async () => {
    const { users } = repos();
    const a = await makeTenant(get().database.db);
    const b = await makeTenant(get().database.db);
    expect(await users.findById(a.organization.id, b.admin.id)).toBeNull();
    expect((await users.findById(b.organization.id, b.admin.id))?.email).toBe(b.admin.email);
    expect(await users.setRole(a.organization.id, b.admin.id, 'viewer')).toBeNull();
    expect((await users.findById(b.organization.id, b.admin.id))?.role).toBe('admin');
    expect(await users.removeFromOrganization(a.organization.id, b.admin.id)).toBe(false);
  });

  it('lists and counts members, updates profile, password, role and last login', async () => {
    const { users } = repos();
    const { organization, admin } = await makeTenant(get().database.db);
    const member = await makeUser(get().database.db, organization.id, 'member');
    expect((await users.listByOrganization(organization.id)).map((u) => u.id)).toEqual([admin.id, member.id]);
    expect(await users.countByOrganization(organization.id)).toBe(2);
    expect(await users.countByOrganization(organization.id, 'admin')).toBe(1);

    const renamed = await users.updateProfile(organization.id, member.id, { name: 'Ada', email: 'ADA@Example.com' });
    expect(renamed).toMatchObject({ name: 'Ada', email: 'ada@example.com' });
    expect((await users.setPasswordHash(organization.id, member.id, 'new-hash'))?.passwordHash).toBe('new-hash');
    expect((await users.setRole(organization.id, member.id, 'viewer'))?.role).toBe('viewer');
    const at = new Date('2026-01-02T03:04:05.678Z');
    expect((await users.recordLogin(organization.id, member.id, at))?.lastLoginAt).toEqual(at);

    expect(await users.removeFromOrganization(organization.id, member.id)).toBe(true);
    expect(await users.findById(organization.id, member.id)).toBeNull();
    expect((await users.findByIdAcrossOrganizations(member.id))?.organizationId).toBeNull();
  });

  it('createIfAbsent inserts once and never overwrites', async () => {
    const { organizations, users } = repos();
    const id = `org_fixed_${Date.now()}`;
    expect(await organizations.createIfAbsent({ id, name: 'First' })).toBe(true);
    expect(await organizations.createIfAbsent({ id, name: 'Second' })).toBe(false);
    expect((await organizations.findById(id))?.name).toBe('First');
    const userId = `user_fixed_${Date.now()}`;
    const user = { id: userId, email: `${userId}@example.com`, passwordHash: 'h', organizationId: id };
    expect(await users.createIfAbsent(user)).toBe(true);
    expect(await users.createIfAbsent({ ...user, name: 'Other' })).toBe(false);
  });

  it('deleting an organization cascades as the seed says: users stay, without organization', async () => {
    const { organizations, users } = repos();
    const { organization, admin } = await makeTenant(get().database.db);
    expect(await organizations.delete(organization.id)).toBe(true);
    expect(await organizations.findById(organization.id)).toBeNull();
    expect((await users.findByIdAcrossOrganizations(admin.id))?.organizationId).toBeNull();
  });

  it('a failed transaction leaves nothing behind', async () => {
    const db = get().database.db;
    const name = `Rolled back ${Date.now()}`;
    let orgId = '';
    await expect(
      transaction(db, async (tx) => {
        const org = await new OrganizationRepository(tx).create({ name });
        orgId = org.id;
        await makeUser(tx, org.id);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await new OrganizationRepository(db).findById(orgId)).toBeNull();
  });
});

describe('ids', () => {
  it('are prefixed, time-ordered and at most 50 characters', async () => {
    const { newId, isValidId } = await import('../../src/domain/ids.js');
    const ids = Array.from({ length: 50 }, () => newId('audit'));
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) {
      expect(id.length).toBeLessThanOrEqual(50);
      expect(isValidId(id)).toBe(true);
    }
    expect(isValidId('user_demo_123')).toBe(true);
    expect(isValidId('a'.repeat(51))).toBe(false);
    expect(isValidId('bad id')).toBe(false);
  });
});
