import { expect, it } from 'vitest';

import { IntegrationCredentialRepository } from '../../src/repositories/integration-credential.repository.js';
import { SubscriptionRepository } from '../../src/repositories/subscription.repository.js';
import { TeamInviteRepository } from '../../src/repositories/team-invite.repository.js';
import { ToolCostRepository } from '../../src/repositories/tool-cost.repository.js';
import { describeEachDatabase } from '../harness/databases.js';
import { makeTenant } from '../harness/factories.js';

describeEachDatabase('billing, invites and integrations', (get) => {
  const db = () => get().database.db;

  it('subscriptions: the current one per organization, found by Stripe id, updated in place', async () => {
    const subs = new SubscriptionRepository(db());
    const { organization } = await makeTenant(db());
    const other = await makeTenant(db());
    expect(await subs.currentForOrganization(organization.id)).toBeNull();
    const state = {
      plan: 'pro',
      status: 'active',
      currentPeriodStart: new Date('2025-01-01T00:00:00Z'),
      currentPeriodEnd: new Date('2025-02-01T00:00:00Z'),
      cancelAtPeriodEnd: false,
    };
    const sub = await subs.create(organization.id, { ...state, stripeSubscriptionId: `sub_${organization.id}` });
    expect((await subs.currentForOrganization(organization.id))?.id).toBe(sub.id);
    expect((await subs.findByStripeIdAcrossOrganizations(`sub_${organization.id}`))?.organizationId).toBe(
      organization.id,
    );
    expect(await subs.updateState(other.organization.id, sub.id, { ...state, plan: 'business' })).toBeNull();
    const updated = await subs.updateState(organization.id, sub.id, {
      ...state,
      status: 'canceled',
      cancelAtPeriodEnd: true,
    });
    expect(updated).toMatchObject({ plan: 'pro', status: 'canceled', cancelAtPeriodEnd: true });
  });

  it('invites: stored by token hash, pending listed, single use', async () => {
    const invites = new TeamInviteRepository(db());
    const { organization, admin } = await makeTenant(db());
    const other = await makeTenant(db());
    const hash = `sha256-${organization.id}`;
    const invite = await invites.create(organization.id, {
      email: 'New.Person@Example.com',
      role: 'viewer',
      invitedBy: admin.id,
      tokenHash: hash,
      expiresAt: new Date(Date.now() + 7 * 86_400_000),
    });
    expect(invite).toMatchObject({ email: 'new.person@example.com', status: 'pending', role: 'viewer' });
    expect((await invites.findByTokenHashAcrossOrganizations(hash))?.id).toBe(invite.id);
    expect((await invites.listPending(organization.id)).map((i) => i.id)).toEqual([invite.id]);
    expect(await invites.listPending(other.organization.id)).toEqual([]);
    expect(await invites.findById(other.organization.id, invite.id)).toBeNull();
    expect(await invites.resolvePending(other.organization.id, invite.id, 'revoked')).toBeNull();

    expect((await invites.resolvePending(organization.id, invite.id, 'accepted'))?.status).toBe('accepted');
    expect(await invites.resolvePending(organization.id, invite.id, 'accepted')).toBeNull();
    expect(await invites.listPending(organization.id)).toEqual([]);
  });

  it('integration credentials: one per provider, replaced on reconnect, deleted', async () => {
    const creds = new IntegrationCredentialRepository(db());
    const { organization } = await makeTenant(db());
    const other = await makeTenant(db());
    const first = await creds.upsert(organization.id, 'xero', {
      accessToken: 'enc:v1:aaa',
      refreshToken: 'enc:v1:bbb',
      tokenExpiresAt: new Date('2030-01-01T00:00:00Z'),
      config: { tenantId: 't1' },
    });
    const second = await creds.upsert(organization.id, 'xero', {
      accessToken: 'enc:v1:ccc',
      refreshToken: null,
      tokenExpiresAt: null,
    });
    expect(second).toMatchObject({ id: first.id, accessToken: 'enc:v1:ccc', refreshToken: null, config: {} });
    await creds.upsert(organization.id, 'quickbooks', { accessToken: null, refreshToken: null, tokenExpiresAt: null });
    expect((await creds.list(organization.id)).map((c) => c.provider)).toEqual(['quickbooks', 'xero']);
    expect(await creds.list(other.organization.id)).toEqual([]);
    expect(await creds.findByProvider(other.organization.id, 'xero')).toBeNull();

    const at = new Date('2026-06-01T12:00:00.000Z');
    expect((await creds.markSynced(organization.id, 'xero', at))?.lastSyncAt).toEqual(at);
    expect(await creds.delete(other.organization.id, 'xero')).toBe(false);
    expect(await creds.delete(organization.id, 'xero')).toBe(true);
    expect(await creds.findByProvider(organization.id, 'xero')).toBeNull();
  });

  it('tool costs: exact decimal amounts, filters by source and period, pages, scoped', async () => {
    const costs = new ToolCostRepository(db());
    const { organization } = await makeTenant(db());
    const other = await makeTenant(db());
    const lines = [
      {
        source: 'csv',
        toolName: 'Slack',
        amount: '0.10',
        billingPeriodStart: '2025-01-01',
        billingPeriodEnd: '2025-01-31',
      },
      {
        source: 'csv',
        toolName: 'Slack',
        amount: '0.20',
        billingPeriodStart: '2025-02-01',
        billingPeriodEnd: '2025-02-28',
      },
      { source: 'xero', toolName: 'Figma', amount: '9999999999.99', currency: 'EUR', billingPeriodStart: '2025-03-01' },
    ];
    const inserted = await costs.insertMany(organization.id, lines);
    expect(inserted.map((c) => c.amount)).toEqual(['0.10', '0.20', '9999999999.99']);
    expect(inserted[0]).toMatchObject({ currency: 'USD', vendor: null, metadata: {} });

    const csv = await costs.list(organization.id, { source: 'csv' });
    expect(csv.items.map((c) => c.amount).sort()).toEqual(['0.10', '0.20']);
    const feb = await costs.list(organization.id, { from: '2025-02-01', to: '2025-02-28' });
    expect(feb.items.map((c) => c.amount)).toEqual(['0.20']);
    const page = await costs.list(organization.id, { limit: 2 });
    expect(page.items).toHaveLength(2);
    const rest = await costs.list(organization.id, { limit: 2, cursor: page.nextCursor });
    expect([...page.items, ...rest.items].map((c) => c.id).sort()).toEqual(inserted.map((c) => c.id).sort());
    expect((await costs.list(other.organization.id)).items).toEqual([]);

    expect(await costs.delete(other.organization.id, inserted[0]!.id)).toBe(false);
    expect(await costs.delete(organization.id, inserted[0]!.id)).toBe(true);
    expect(await costs.insertMany(organization.id, [])).toEqual([]);
  });
});
