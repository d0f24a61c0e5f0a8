/**
 * Stripe for tests: the fixture events of ../shared/fixtures/stripe, events signed with the
 * `stripe` package's own test helper, and a loopback HTTP server standing in for Stripe's API
 * (Checkout and portal sessions) that records what the server sent it.
 */
import { createServer, type Server } from 'node:http';

import Stripe from 'stripe';

import { externalFixture } from './fixtures.js';

export const WEBHOOK_SECRET = 'whsec_test_stackaudit';
/** The Price ids of the fixtures, configured as our plans' prices. */
export const FIXTURE_PRICES = {
  pro: 'price_1OkMyxBFkLqjc7QTSUA15pIY',
  business: 'price_1OetlBBFkLqjc7QTKBD9TDFO',
};

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A fixture file, parsed afresh (tests may change their copy). */
export function fixture(name: string): Json {
  return JSON.parse(externalFixture(`stripe/${name}`)) as Json;
}

export const fixtureNames = {
  checkoutCompleted: 'evt_checkout.session.completed_2023-10-16.json',
  subscriptionCreated: 'evt_customer.subscription.created_2023-10-16.json',
  subscriptionUpdated2023: 'evt_customer.subscription.updated_2023-10-16.json',
  subscriptionUpdated2020: 'evt_customer.subscription.updated_2020-03-02.json',
  subscriptionDeleted2020: 'evt_customer.subscription.deleted_2020-03-02.json',
  invoicePaid: 'evt_invoice.paid_2023-10-16.json',
  invoicePaymentFailedBasilData: 'evt_invoice.payment_failed_basil_DATA-ONLY.json',
  openapiSubset: 'openapi_fixtures3_subset.json',
} as const;

/** An event envelope around an object (for the fixtures that are objects or data only). */
export function envelope(id: string, type: string, object: Json, created: number, apiVersion: string): Json {
  return { id, object: 'event', api_version: apiVersion, created, type, livemode: false, data: { object } };
}

const signer = new Stripe('sk_test_signer', { telemetry: false });

/** The Stripe-Signature header for a payload, as Stripe computes it (`timestamp`: its t=, in seconds; default now). */
export function sign(payload: string, secret = WEBHOOK_SECRET, timestamp?: number): string {
  return signer.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

/** The restricted key the fake accepts for reading balance transactions (Stripe as a spend source). */
export const SPEND_KEY = 'rk_test_spendreader123';

/** Balance transactions in Stripe's shape: two charges with fees (USD, JPY) and a payout without. */
export const BALANCE_TRANSACTIONS = [
  {
    id: 'txn_1',
    object: 'balance_transaction',
    amount: 10000,
    currency: 'usd',
    fee: 320,
    net: 9680,
    type: 'charge',
    created: 1767225600,
  },
  {
    id: 'txn_2',
    object: 'balance_transaction',
    amount: 5000,
    currency: 'jpy',
    fee: 180,
    net: 4820,
    type: 'charge',
    created: 1769904000,
  },
  {
    id: 'txn_3',
    object: 'balance_transaction',
    amount: -9680,
    currency: 'usd',
    fee: 0,
    net: -9680,
    type: 'payout',
    created: 1769990400,
  },
];

export interface FakeStripe {
  url: string;
  requests: { method: string; path: string; form: URLSearchParams; authorization: string | undefined }[];
  close(): Promise<void>;
}

/** Answers Checkout and portal session creation the way Stripe's API does (form in, JSON out). */
export async function startFakeStripe(): Promise<FakeStripe> {
  const requests: FakeStripe['requests'] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      requests.push({ method: req.method ?? '', path: req.url ?? '', form, authorization: req.headers.authorization });
      n += 1;
      res.setHeader('content-type', 'application/json');
      res.setHeader('request-id', `req_test_${n}`);
      if (req.method === 'POST' && req.url === '/v1/checkout/sessions') {
        res.end(
          JSON.stringify({
            id: `cs_test_${n}`,
            object: 'checkout.session',
            url: `https://checkout.stripe.test/c/pay/cs_test_${n}`,
          }),
        );
      } else if (req.method === 'POST' && req.url === '/v1/billing_portal/sessions') {
        res.end(
          JSON.stringify({
            id: `bps_test_${n}`,
            object: 'billing_portal.session',
            url: `https://billing.stripe.test/p/session/${n}`,
          }),
        );
      } else if (req.method === 'GET' && req.url === '/v1/balance') {
        if (req.headers.authorization !== `Bearer ${SPEND_KEY}`) {
          res.statusCode = 401;
          res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } }));
        } else {
          res.end(JSON.stringify({ object: 'balance', available: [{ amount: 0, currency: 'usd' }], livemode: false }));
        }
      } else if (req.method === 'GET' && req.url?.startsWith('/v1/balance_transactions')) {
        res.end(
          JSON.stringify({
            object: 'list',
            url: '/v1/balance_transactions',
            has_more: false,
            data: BALANCE_TRANSACTIONS,
          }),
        );
      } else {
        res.statusCode = 404;
        res.end(
          JSON.stringify({
            error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${req.url})` },
          }),
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
