/**
 * Both drivers return identical JS values for the same rows: through the typed query
 * builder (what repositories use) and through raw SQL (Database.query), for every column
 * type the schema has, plus int8 and bytea.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { organizations, toolCosts, subscriptions } from '../../src/db/schema.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../harness/databases.js';

const createdAt = new Date('2025-01-01T00:00:00.123Z');
const org = {
  id: 'org_parity',
  name: 'Parity — ünïcode ✓',
  plan: 'pro',
  settings: { allowedDomains: ['a.com'], nested: { n: 1.5, big: 12345678901234, flag: false, nil: null } },
  createdAt,
  updatedAt: createdAt,
};
const cost = {
  id: 'cost_parity',
  organizationId: 'org_parity',
  source: 'manual',
  toolName: 'Slack',
  amount: '1234567890.12',
  billingPeriodStart: '2025-02-28',
  billingPeriodEnd: '2025-03-31',
  metadata: { 'Key With Spaces': 'kept', camelCase: true },
  importedAt: createdAt,
  createdAt,
};
const subscription = {
  id: 'sub_parity',
  organizationId: 'org_parity',
  plan: 'pro',
  cancelAtPeriodEnd: true,
  currentPeriodEnd: new Date('2025-12-31T23:59:59.999Z'),
  createdAt,
  updatedAt: createdAt,
};

const RAW = `SELECT o.settings, o.created_at, t.amount, t.billing_period_start, t.metadata,
                    s.cancel_at_period_end, 9007199254740993::int8 AS big, count(*) OVER () AS n,
                    '\\x00ff10'::bytea AS bytes, ARRAY['a','b']::text[] AS arr, NULL::text AS nothing
               FROM organizations o JOIN tool_costs t ON t.organization_id = o.id
               JOIN subscriptions s ON s.organization_id = o.id WHERE o.id = $1`;

describe.skipIf(!postgresAvailable())('the two drivers agree', () => {
  let pglite: TestDatabase;
  let postgres: TestDatabase;
  beforeAll(async () => {
    [pglite, postgres] = await Promise.all([createTestDatabase('pglite'), createTestDatabase('postgres')]);
    for (const { database } of [pglite, postgres]) {
      await database.db.insert(organizations).values(org);
      await database.db.insert(toolCosts).values(cost);
      await database.db.insert(subscriptions).values(subscription);
    }
  }, 60_000);
  afterAll(async () => {
    await pglite?.destroy();
    await postgres?.destroy();
  });

  it('typed selects return the same values and types', async () => {
    const read = async (t: TestDatabase) => ({
      org: await t.database.db.select().from(organizations).where(eq(organizations.id, org.id)),
      cost: await t.database.db.select().from(toolCosts).where(eq(toolCosts.id, cost.id)),
      sub: await t.database.db.select().from(subscriptions).where(eq(subscriptions.id, subscription.id)),
    });
    const [a, b] = await Promise.all([read(pglite), read(postgres)]);
    expect(a).toEqual(b);
    expect(a.org[0]).toMatchObject(org);
    expect(a.cost[0]).toMatchObject({
      amount: '1234567890.12',
      billingPeriodStart: '2025-02-28',
      metadata: cost.metadata,
    });
    expect(a.sub[0]?.currentPeriodEnd).toEqual(subscription.currentPeriodEnd);
    expect(a.sub[0]?.status).toBe('active');
  });

  it('raw queries return the same values and types', async () => {
    const [[a], [b]] = await Promise.all([
      pglite.database.query(RAW, [org.id]),
      postgres.database.query(RAW, [org.id]),
    ]);
    expect(a).toEqual(b);
    expect(a).toEqual({
      settings: org.settings,
      created_at: createdAt,
      amount: '1234567890.12',
      billing_period_start: '2025-02-28',
      metadata: cost.metadata,
      cancel_at_period_end: true,
      big: '9007199254740993',
      n: '1',
      bytes: Buffer.from([0x00, 0xff, 0x10]),
      arr: ['a', 'b'],
      nothing: null,
    });
  });

  it('unique violations carry the same SQLSTATE', async () => {
    const { isUniqueViolation } = await import('../../src/errors.js');
    for (const t of [pglite, postgres]) {
      await expect(t.database.db.insert(organizations).values(org)).rejects.toSatisfy(isUniqueViolation);
    }
  });
});
