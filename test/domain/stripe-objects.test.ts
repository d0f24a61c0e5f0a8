/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument --
   the fixtures are untyped Stripe JSON that these tests read and adjust field by field */
/** Reading Stripe's objects across API versions, on the real-format fixtures. */
import { describe, expect, it } from 'vitest';

import {
  checkoutSessionFacts,
  invoiceFacts,
  planUnder,
  subscriptionFacts,
} from '../../src/domain/billing/stripe-objects.js';
import { FIXTURE_PRICES, fixture, fixtureNames } from '../harness/stripe.js';

const at = (seconds: number) => new Date(seconds * 1000);

describe('Stripe objects', () => {
  it('a subscription before basil: the period on the subscription, the plan from the configured Price id', () => {
    const sub = fixture(fixtureNames.subscriptionUpdated2023).data.object;
    expect(subscriptionFacts(sub, FIXTURE_PRICES)).toEqual({
      stripeSubscriptionId: 'sub_1OgIw9BFkLqjc7QTd06EgH8p',
      stripeCustomerId: 'cus_PVJZ8ZFdghzyMW',
      status: 'active',
      plan: 'business',
      currentPeriodStart: at(1710992017),
      currentPeriodEnd: at(1711078417),
      cancelAtPeriodEnd: false,
      organizationId: null,
    });
    // Not a configured Price and no metadata: no plan.
    expect(subscriptionFacts(sub, {})?.plan).toBeNull();
  });

  it('a subscription from basil on: the period only on its items; metadata.plan on the Price names the plan', () => {
    const sub = fixture(fixtureNames.openapiSubset).resources.subscription;
    expect(sub.current_period_end).toBeUndefined();
    sub.items.data[0].price.metadata = { plan: 'business' };
    const facts = subscriptionFacts(sub);
    expect(facts).toMatchObject({
      stripeSubscriptionId: 'sub_1Pgc6rB7WZ01zgkWNy0Cn5nw',
      status: 'active',
      plan: 'business',
      cancelAtPeriodEnd: true,
      currentPeriodEnd: at(sub.items.data[0].current_period_end),
      currentPeriodStart: at(sub.items.data[0].current_period_start),
    });
  });

  it('a deleted subscription (2020-03-02) and one not started (incomplete)', () => {
    const deleted = subscriptionFacts(fixture(fixtureNames.subscriptionDeleted2020).data.object);
    expect(deleted).toMatchObject({ status: 'canceled', currentPeriodEnd: at(1625740918), plan: null });
    const created = subscriptionFacts(fixture(fixtureNames.subscriptionCreated).data.object, FIXTURE_PRICES);
    expect(created).toMatchObject({ status: 'incomplete', plan: 'pro', stripeCustomerId: 'cus_PmAhCy3v1oZd1e' });
  });

  it('invoices: the subscription where old versions put it and where basil does, and the period billed', () => {
    expect(invoiceFacts(fixture(fixtureNames.invoicePaid).data.object)).toEqual({
      stripeSubscriptionId: 'sub_1OgIw9BFkLqjc7QTd06EgH8p',
      stripeCustomerId: 'cus_PVJZ8ZFdghzyMW',
      periodStart: at(1710992017),
      periodEnd: at(1711078417),
    });
    expect(invoiceFacts(fixture(fixtureNames.invoicePaymentFailedBasilData).object)).toEqual({
      stripeSubscriptionId: 'sub_1234',
      stripeCustomerId: 'cus_1234',
      periodStart: at(1745433906),
      periodEnd: at(1776969906),
    });
  });

  it('a Checkout Session: the organization from client_reference_id, the subscription it created', () => {
    const session = fixture(fixtureNames.checkoutCompleted).data.object;
    expect(checkoutSessionFacts(session)).toEqual({
      organizationId: null,
      stripeCustomerId: 'cus_PmAhCy3v1oZd1e',
      stripeSubscriptionId: 'sub_1OwcMMBFkLqjc7QT79Zc7GxB',
      plan: null,
    });
    session.client_reference_id = 'org_1';
    session.metadata = { plan: 'pro' };
    expect(checkoutSessionFacts(session)).toMatchObject({ organizationId: 'org_1', plan: 'pro' });
    expect(checkoutSessionFacts({ object: 'invoice' })).toBeNull();
  });

  it('the plan under a subscription: kept while paid for or retried, until the period ends once cancelled', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const later = new Date('2026-07-01T00:00:00Z');
    const earlier = new Date('2026-05-01T00:00:00Z');
    expect(planUnder({ plan: 'pro', status: 'active', currentPeriodEnd: earlier }, now)).toBe('pro');
    expect(planUnder({ plan: 'pro', status: 'past_due', currentPeriodEnd: later }, now)).toBe('pro');
    expect(planUnder({ plan: 'pro', status: 'canceled', currentPeriodEnd: later }, now)).toBe('pro');
    expect(planUnder({ plan: 'pro', status: 'canceled', currentPeriodEnd: earlier }, now)).toBe('free');
    expect(planUnder({ plan: 'pro', status: 'unpaid', currentPeriodEnd: null }, now)).toBe('free');
    expect(planUnder({ plan: 'pro', status: 'incomplete', currentPeriodEnd: later }, now)).toBeNull();
    expect(planUnder({ plan: 'unknown', status: 'active', currentPeriodEnd: later }, now)).toBeNull();
  });
});
