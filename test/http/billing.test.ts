/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument --
   the fixtures are untyped Stripe JSON that these tests read and adjust field by field */
/**
 * Billing over HTTP on both databases: Stripe Checkout and portal (against a loopback stand-in
 * for Stripe's API), and the webhook fed every fixture event of ../shared/fixtures/stripe,
 * signed with the `stripe` package's test helper, twice and out of order.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';

import type { App } from '../../src/http/app.js';
import { OrganizationRepository } from '../../src/repositories/organization.repository.js';
import { SubscriptionRepository } from '../../src/repositories/subscription.repository.js';
import { BillingService } from '../../src/services/billing.service.js';
import { OrganizationService } from '../../src/services/organization.service.js';
import { buildTestApp, testConfig } from '../harness/app.js';
import { call, signup, team, type Account } from '../harness/client.js';
import type { BillingJson, ErrorBody } from '../harness/contract.js';
import { describeEachDatabase } from '../harness/databases.js';
import {
  envelope,
  FIXTURE_PRICES,
  fixture,
  fixtureNames,
  sign,
  startFakeStripe,
  WEBHOOK_SECRET,
  type FakeStripe,
} from '../harness/stripe.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The same event with its Stripe ids made unique to one test (ids are global in a database). */
function renamed(event: Json, suffix: string): Json {
  return JSON.parse(
    JSON.stringify(event).replace(/\b(evt|sub|cus|in|cs_test)_[A-Za-z0-9]+/g, (id) => `${id}X${suffix}`),
  ) as Json;
}

describeEachDatabase('billing', (get) => {
  let app: App;
  let disabled: App;
  let stripe: FakeStripe;
  const stripeEnv = () => ({
    STRIPE_SECRET_KEY: 'sk_test_stackaudit',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_PRICE_PRO: FIXTURE_PRICES.pro,
    STRIPE_PRICE_BUSINESS: FIXTURE_PRICES.business,
    STRIPE_API_BASE: stripe.url,
    APP_URL: 'https://app.stackaudit.test',
  });

  beforeAll(async () => {
    stripe = await startFakeStripe();
    app = await buildTestApp(get().database, stripeEnv());
    disabled = await buildTestApp(get().database);
    await Promise.all([app.ready(), disabled.ready()]);
  });
  afterAll(async () => {
    await Promise.all([app.close(), disabled.close()]);
    await stripe.close();
  });

  const as = (who: Account) => ({ token: who.token });
  const billing = async (who: Account) =>
    (await call<BillingJson>(app, 'GET', '/api/billing', undefined, as(who))).body;
  const deliver = (event: Json, options: { signature?: string | null; to?: App } = {}) => {
    const payload = JSON.stringify(event);
    const signature = options.signature === undefined ? sign(payload) : options.signature;
    return call<{ received: boolean; outcome: string } & ErrorBody>(
      options.to ?? app,
      'POST',
      '/api/billing/webhook',
      undefined,
      {
        raw: { payload, contentType: 'application/json; charset=utf-8' },
        headers: signature === null ? {} : { 'stripe-signature': signature },
      },
    );
  };
  /** Delivers each event twice (a retry): applied once, then a duplicate. */
  const deliverTwice = async (event: Json) => {
    const first = await deliver(event);
    const again = await deliver(event);
    expect(first.status, first.raw).toBe(200);
    expect(again.body).toEqual({ received: true, outcome: 'duplicate' });
    return first.body.outcome;
  };
  const checkoutEvent = (organizationId: string, suffix: string) => {
    const event = renamed(fixture(fixtureNames.checkoutCompleted), suffix);
    event.data.object.client_reference_id = organizationId;
    return event;
  };
  const organization = async (who: Account) =>
    (await new OrganizationRepository(get().database.db).findById(who.organization.id))!;

  it('without Stripe keys, billing is disabled cleanly: plans stay, checkout and webhook answer 503', async () => {
    const admin = await signup(disabled);
    const view = await call<BillingJson>(disabled, 'GET', '/api/billing', undefined, as(admin));
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      plan: 'free',
      status: 'none',
      currentPeriodEnd: null,
      cancelAtPeriodEnd: false,
      billingEnabled: false,
      limits: { auditsPerMonth: 10, members: 5 },
      usage: { auditsThisMonth: 0, members: 1 },
    });
    expect(view.body.plans.every((p) => !p.checkout)).toBe(true);
    const checkout = await call<ErrorBody>(disabled, 'POST', '/api/billing/checkout', { plan: 'pro' }, as(admin));
    expect([checkout.status, checkout.body.error.code]).toEqual([503, 'billing_disabled']);
    expect((await call<ErrorBody>(disabled, 'POST', '/api/billing/portal', undefined, as(admin))).status).toBe(503);
    const webhook = await deliver(fixture(fixtureNames.invoicePaid), { to: disabled });
    expect([webhook.status, webhook.body.error.code]).toEqual([503, 'billing_disabled']);
  });

  it('GET /api/billing: the plan, its limits and usage, and the plans Checkout sells here', async () => {
    const admin = await signup(app);
    const view = await billing(admin);
    expect(view).toMatchObject({ plan: 'free', status: 'none', billingEnabled: true });
    expect(view.plans).toEqual([
      expect.objectContaining({ name: 'free', monthlyPriceUsd: 0, checkout: false }),
      expect.objectContaining({ name: 'pro', monthlyPriceUsd: 49, checkout: true }),
      expect.objectContaining({ name: 'business', monthlyPriceUsd: 199, checkout: true }),
      expect.objectContaining({ name: 'enterprise', monthlyPriceUsd: null, checkout: false }),
    ]);
    expect((await call(app, 'GET', '/api/billing')).status).toBe(401);
  });

  it('checkout: admins only, a plan for sale, the organization as client_reference_id', async () => {
    const t = await team(app);
    const member = await call<ErrorBody>(app, 'POST', '/api/billing/checkout', { plan: 'pro' }, as(t.member));
    expect(member.status).toBe(403);
    for (const plan of ['enterprise', 'free', 'gold']) {
      const bad = await call<ErrorBody>(app, 'POST', '/api/billing/checkout', { plan }, as(t.admin));
      expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
    }
    expect((await call(app, 'POST', '/api/billing/checkout', { plan: 'pro', x: 1 }, as(t.admin))).status).toBe(400);
    const before = stripe.requests.length;
    const answer = await call<{ url: string }>(app, 'POST', '/api/billing/checkout', { plan: 'pro' }, as(t.admin));
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.body.url).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_\d+$/);
    expect(stripe.requests.length).toBe(before + 1);
    const sent = stripe.requests.at(-1)!;
    expect(sent.path).toBe('/v1/checkout/sessions');
    expect(sent.authorization).toBe('Bearer sk_test_stackaudit');
    expect(Object.fromEntries(sent.form)).toMatchObject({
      mode: 'subscription',
      'line_items[0][price]': FIXTURE_PRICES.pro,
      'line_items[0][quantity]': '1',
      client_reference_id: t.admin.organization.id,
      customer_email: t.admin.user.email,
      'metadata[plan]': 'pro',
      'subscription_data[metadata][organizationId]': t.admin.organization.id,
      success_url: 'https://app.stackaudit.test/settings/billing?checkout=success',
    });
  });

  it('webhook: a bad or missing signature is a 400 and changes nothing', async () => {
    const admin = await signup(app);
    const event = checkoutEvent(admin.organization.id, 'sig');
    const wrongSecret = await deliver(event, { signature: sign(JSON.stringify(event), 'whsec_someone_else') });
    expect([wrongSecret.status, wrongSecret.body.error.code]).toEqual([400, 'invalid_signature']);
    const missing = await deliver(event, { signature: null });
    expect(missing.status).toBe(400);
    // Signed, then the body changed on the way: the signature covers the exact bytes.
    const signature = sign(JSON.stringify(event));
    const tampered = { ...event, data: { object: { ...event.data.object, client_reference_id: 'org_attacker' } } };
    expect((await deliver(tampered, { signature })).status).toBe(400);
    expect((await organization(admin)).stripeSubscriptionId).toBeNull();
    // The genuine delivery afterwards is applied (the refused ones recorded nothing).
    expect((await deliver(event)).body.outcome).toBe('applied');
  });

  it('webhook: a genuine signature whose timestamp is older than the 300 s tolerance is a 400 and applies nothing', async () => {
    const admin = await signup(app);
    await deliverTwice(checkoutEvent(admin.organization.id, 'stale'));
    // The payment goes through: delivered, this event would make the plan pro.
    const active = renamed(fixture(fixtureNames.subscriptionCreated), 'stale');
    active.data.object.status = 'active';
    const payload = JSON.stringify(active);
    const now = Math.floor(Date.now() / 1000);
    const eventRows = async () =>
      (await get().database.query('SELECT id FROM stripe_events WHERE id = $1', [active.id])).length;

    // A replay: signed with the right secret, ten minutes ago.
    const stale = await deliver(active, { signature: sign(payload, WEBHOOK_SECRET, now - 600) });
    expect(stale.status, stale.raw).toBe(400);
    expect(stale.body.error.code).toBe('invalid_signature');
    expect((await organization(admin)).plan).toBe('free');
    expect((await billing(admin)).plan).toBe('free');
    expect(await eventRows()).toBe(0);
    // A timestamp in the future is not checked by the stripe package (only the age is): it
    // takes the secret to sign one, so there is no replay to refuse.

    // The same bytes signed within the tolerance are applied: the refusal was the timestamp's alone.
    const recent = await deliver(active, { signature: sign(payload, WEBHOOK_SECRET, now - 60) });
    expect([recent.status, recent.body.outcome]).toEqual([200, 'applied']);
    expect((await organization(admin)).plan).toBe('pro');
    expect(await eventRows()).toBe(1);
  });

  it('Checkout then the subscription (2023-10-16): the plan and its audit limit follow once paid, in either order', async () => {
    for (const order of ['in order', 'subscription first'] as const) {
      const admin = await signup(app);
      const suffix = order === 'in order' ? 'a' : 'b';
      const checkout = checkoutEvent(admin.organization.id, suffix);
      const created = renamed(fixture(fixtureNames.subscriptionCreated), suffix);
      // The first payment goes through: the same subscription, active, a little later.
      const active = renamed(fixture(fixtureNames.subscriptionCreated), suffix);
      active.id = `${active.id}_active`;
      active.type = 'customer.subscription.updated';
      active.created += 5;
      active.data.object.status = 'active';
      const events = order === 'in order' ? [checkout, created] : [created, checkout];
      for (const event of events) await deliverTwice(event);
      // Checkout creates the subscription before the first payment: no plan yet.
      expect(await billing(admin)).toMatchObject({ plan: 'free', status: 'incomplete' });
      expect(await deliverTwice(active)).toBe('applied');
      const view = await billing(admin);
      expect(view).toMatchObject({
        plan: 'pro',
        status: 'active',
        currentPeriodEnd: new Date(1725120000 * 1000).toISOString(),
        limits: { auditsPerMonth: 50, members: 25 },
      });
      const org = await organization(admin);
      expect(org).toMatchObject({
        plan: 'pro',
        stripeCustomerId: `cus_PmAhCy3v1oZd1eX${suffix}`,
        stripeSubscriptionId: `sub_1OwcMMBFkLqjc7QT79Zc7GxBX${suffix}`,
      });
      const me = await call<{ user: { plan: string } }>(app, 'GET', '/api/auth/me', undefined, as(admin));
      expect(me.body.user.plan).toBe('pro');
      // Delivering the older events again changes nothing (they are duplicates by id anyway).
      expect((await deliver(created)).body.outcome).toBe('duplicate');
    }
  });

  it('the plan limit follows the plan: the 11th audit of a month needs more than free', async () => {
    const admin = await signup(app);
    const create = (i: number) =>
      call(app, 'POST', '/api/audits', { name: `A${i}`, stackData: { tools: [] } }, as(admin));
    for (let i = 0; i < 10; i++) expect((await create(i)).status).toBe(201);
    const refused = await call<ErrorBody>(
      app,
      'POST',
      '/api/audits',
      { name: 'A10', stackData: { tools: [] } },
      as(admin),
    );
    expect([refused.status, refused.body.error.code]).toEqual([402, 'plan_limit_reached']);
    await deliverTwice(checkoutEvent(admin.organization.id, 'lim'));
    const active = renamed(fixture(fixtureNames.subscriptionCreated), 'lim');
    active.data.object.status = 'active';
    await deliverTwice(active);
    expect((await create(10)).status).toBe(201);
    expect((await billing(admin)).usage.auditsThisMonth).toBe(11);
  });

  it('a renewal (2023-10-16): found by its Stripe customer; invoice.paid extends the period; older news is ignored', async () => {
    const admin = await signup(app);
    const updated = renamed(fixture(fixtureNames.subscriptionUpdated2023), 'r');
    const paid = renamed(fixture(fixtureNames.invoicePaid), 'r');
    // An earlier checkout left the Stripe customer on the organization.
    await new OrganizationRepository(get().database.db).setStripeIds(admin.organization.id, {
      stripeCustomerId: 'cus_PVJZ8ZFdghzyMWXr',
    });
    // invoice.paid (newer) arrives before the subscription is known: nothing to apply to yet.
    expect(await deliverTwice(paid)).toBe('ignored');
    expect(await deliverTwice(updated)).toBe('applied');
    expect(await billing(admin)).toMatchObject({
      plan: 'business',
      status: 'active',
      limits: { auditsPerMonth: 500, members: 100 },
    });
    // An older update delivered late (a different event id, created before the last applied) is ignored.
    const stale = renamed(fixture(fixtureNames.subscriptionUpdated2023), 'r');
    stale.id = `${stale.id}_stale`;
    stale.created -= 3600;
    stale.data.object.status = 'past_due';
    expect((await deliver(stale)).body.outcome).toBe('ignored');
    expect((await billing(admin)).status).toBe('active');
    const paidAgain = renamed(fixture(fixtureNames.invoicePaid), 'r');
    paidAgain.id = `${paidAgain.id}_retry`;
    expect((await deliver(paidAgain)).body.outcome).toBe('applied');
    expect((await billing(admin)).currentPeriodEnd).toBe(new Date(1711078417 * 1000).toISOString());
  });

  it('a deleted subscription (2020-03-02) goes to free at its period end, stays deleted, and keeps every audit', async () => {
    const admin = await signup(app);
    const db = get().database.db;
    await new OrganizationRepository(db).setStripeIds(admin.organization.id, {
      stripeCustomerId: 'cus_IhGfebO16cMIGNXd',
    });
    const audit = await call(app, 'POST', '/api/audits', { name: 'Kept', stackData: { tools: [] } }, as(admin));
    expect(audit.status).toBe(201);
    // The same subscription, active on pro (its Price names the plan in metadata), before it was deleted.
    const deleted = renamed(fixture(fixtureNames.subscriptionDeleted2020), 'd');
    const active = renamed(fixture(fixtureNames.subscriptionUpdated2020), 'd');
    active.data.object = {
      ...structuredClone(deleted.data.object),
      status: 'active',
      canceled_at: null,
      ended_at: null,
    };
    active.created = deleted.created - 86_400;
    for (const event of [active, deleted]) event.data.object.items.data[0].price.metadata = { plan: 'pro' };
    // Out of order: the deletion first, then the older update: the subscription stays deleted.
    expect(await deliverTwice(deleted)).toBe('applied');
    expect(await deliverTwice(active)).toBe('ignored');
    // Its period ended in 2021: back on free at once. Nothing is deleted.
    expect(await billing(admin)).toMatchObject({ plan: 'free', status: 'canceled' });
    const newer = renamed(fixture(fixtureNames.subscriptionUpdated2020), 'd');
    newer.id = `${newer.id}_after`;
    newer.created = deleted.created + 60;
    newer.data.object = { ...structuredClone(active.data.object) };
    expect((await deliver(newer)).body.outcome).toBe('ignored');
    expect((await billing(admin)).status).toBe('canceled');
    const list = await call<{ items: unknown[] }>(app, 'GET', '/api/audits', undefined, as(admin));
    expect(list.body.items).toHaveLength(1);
  });

  it('basil (2025-03-31 on): the period from the items; invoice.payment_failed marks past_due and keeps the plan', async () => {
    const admin = await signup(app);
    await new OrganizationRepository(get().database.db).setStripeIds(admin.organization.id, {
      stripeCustomerId: 'cus_1234',
    });
    const subscription = fixture(fixtureNames.openapiSubset).resources.subscription;
    Object.assign(subscription, { id: 'sub_1234', customer: 'cus_1234', cancel_at_period_end: false });
    subscription.items.data[0].price.metadata = { plan: 'business' };
    subscription.items.data[0].current_period_start = 1745433906;
    subscription.items.data[0].current_period_end = 1776969906;
    const updated = envelope(
      'evt_basil_sub',
      'customer.subscription.updated',
      subscription,
      1745433000,
      '2025-03-31.basil',
    );
    expect(await deliverTwice(updated)).toBe('applied');
    expect(await billing(admin)).toMatchObject({
      plan: 'business',
      status: 'active',
      currentPeriodEnd: new Date(1776969906 * 1000).toISOString(),
    });
    const failed = fixture(fixtureNames.invoicePaymentFailedBasilData);
    const event = envelope('evt_basil_failed', 'invoice.payment_failed', failed.object, 1745433962, '2025-03-31.basil');
    expect(await deliverTwice(event)).toBe('applied');
    // Stripe retries the payment: the plan stays while it is past due.
    expect(await billing(admin)).toMatchObject({ plan: 'business', status: 'past_due' });
  });

  it('portal: 422 before any subscription; then a portal session for the Stripe customer', async () => {
    const t = await team(app);
    const none = await call<ErrorBody>(app, 'POST', '/api/billing/portal', undefined, as(t.admin));
    expect([none.status, none.body.error.code]).toEqual([422, 'no_billing_account']);
    expect((await call(app, 'POST', '/api/billing/portal', undefined, as(t.viewer))).status).toBe(403);
    await deliverTwice(checkoutEvent(t.admin.organization.id, 'p'));
    const answer = await call<{ url: string }>(app, 'POST', '/api/billing/portal', undefined, as(t.admin));
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.body.url).toMatch(/^https:\/\/billing\.stripe\.test\/p\/session\/\d+$/);
    expect(Object.fromEntries(stripe.requests.at(-1)!.form)).toEqual({
      customer: 'cus_PmAhCy3v1oZd1eXp',
      return_url: 'https://app.stackaudit.test/settings/billing',
    });
    // With a subscription under way, a second Checkout is refused: the portal changes plans.
    const again = await call<ErrorBody>(app, 'POST', '/api/billing/checkout', { plan: 'business' }, as(t.admin));
    expect([again.status, again.body.error.code]).toEqual([409, 'already_subscribed']);
  });

  it('hourly: a cancelled subscription keeps its plan until the period ends, then the organization is on free', async () => {
    const admin = await signup(app);
    const db = get().database.db;
    const periodEnd = new Date(Date.now() + 86_400_000);
    await new OrganizationRepository(db).setStripeIds(admin.organization.id, { stripeSubscriptionId: 'sub_lapsing' });
    await new OrganizationRepository(db).setPlan(admin.organization.id, 'pro');
    await new SubscriptionRepository(db).create(admin.organization.id, {
      stripeSubscriptionId: 'sub_lapsing',
      plan: 'pro',
      status: 'canceled',
      currentPeriodStart: new Date(Date.now() - 29 * 86_400_000),
      currentPeriodEnd: periodEnd,
      cancelAtPeriodEnd: true,
    });
    const config = testConfig(stripeEnv());
    const service = new BillingService(get().database, config, new OrganizationService(get().database));
    expect((await service.endLapsed(new Date())).downgraded).not.toContain(admin.organization.id);
    expect((await billing(admin)).plan).toBe('pro');
    const after = await service.endLapsed(new Date(periodEnd.getTime() + 1000));
    expect(after.downgraded).toContain(admin.organization.id);
    expect(await billing(admin)).toMatchObject({ plan: 'free', limits: { auditsPerMonth: 10 } });
    const me = await call<{ user: { plan: string } }>(app, 'GET', '/api/auth/me', undefined, as(admin));
    expect(me.body.user.plan).toBe('free');
  });
});
