/** Accounting records to cost lines, on every QuickBooks and Xero fixture; and the token cipher. */
import { describe, expect, it } from 'vitest';

import { parseKey, SecretBox, SecretBoxError } from '../../src/domain/secret-box.js';
import { quickBooksLines, xeroLines } from '../../src/integrations/mapping.js';
import { externalFixture } from '../harness/fixtures.js';

type Json = Record<string, unknown>;
const qbo = (stream: string): Json[] =>
  externalFixture('quickbooks/purchases_bills_sandbox_records_airbyte.jsonl')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { stream: string; data: Json })
    .filter((l) => l.stream === stream)
    .map((l) => l.data);
const xero = (name: string, key: string) =>
  (JSON.parse(externalFixture(`xero/${name}`)) as Record<string, Json[]>)[key]!;
const summary = (lines: ReturnType<typeof quickBooksLines>['lines']) =>
  lines.map((l) => [l.metadata!.externalId, l.toolName, l.vendor, l.amount, l.currency, l.billingPeriodStart]);

describe('QuickBooks Online records', () => {
  it('every Purchase and Bill of the sandbox fixture: vendor, total, currency, day', () => {
    const mapped = quickBooksLines({ Purchase: qbo('purchases'), Bill: qbo('bills') });
    expect(mapped.skipped).toEqual([]);
    expect(summary(mapped.lines)).toEqual([
      ['Purchase:140', "Bob's Burger Joint", "Bob's Burger Joint", '18.97', 'USD', '2023-02-23'],
      ['Purchase:141', 'Squeaky Kleen Car Wash', 'Squeaky Kleen Car Wash', '19.99', 'USD', '2023-02-23'],
      ['Purchase:142', 'Squeaky Kleen Car Wash', 'Squeaky Kleen Car Wash', '19.99', 'USD', '2023-03-02'],
      ['Purchase:143', 'Hicks Hardware', 'Hicks Hardware', '42.40', 'USD', '2023-02-24'],
      // No vendor on this card purchase: its expense account names it.
      ['Purchase:144', expect.any(String), null, '34.00', 'USD', '2023-03-15'],
      ['Bill:24', 'Hall Properties', 'Hall Properties', '900.00', 'USD', '2023-02-02'],
      ['Bill:108', 'Robertson & Associates', 'Robertson & Associates', '315.00', 'USD', '2023-02-18'],
      ['Bill:105', 'Cal Telephone', 'Cal Telephone', '56.50', 'USD', '2023-01-03'],
      [
        'Bill:25',
        'Norton Lumber and Building Materials',
        'Norton Lumber and Building Materials',
        '103.55',
        'USD',
        '2023-02-15',
      ],
      [
        'Bill:126',
        'Norton Lumber and Building Materials',
        'Norton Lumber and Building Materials',
        '205.00',
        'USD',
        '2023-02-18',
      ],
    ]);
    expect(mapped.lines[4]!.toolName).not.toBe('Unknown vendor');
    expect(mapped.lines[5]!.metadata).toMatchObject({ kind: 'Bill', dueDate: '2023-03-04', recognized: false });
  });

  it('refunds and credits are negative; software vendors take the catalog name', () => {
    const [purchase] = qbo('purchases');
    const refund = {
      ...purchase,
      Id: '900',
      Credit: true,
      EntityRef: { value: '9', name: 'Slack Technologies', type: 'Vendor' },
    };
    const credit = {
      Id: '901',
      TxnDate: '2023-04-01',
      TotalAmt: 12.5,
      CurrencyRef: { value: 'EUR' },
      VendorRef: { name: 'Atlassian' },
    };
    const mapped = quickBooksLines({ Purchase: [refund], VendorCredit: [credit] });
    expect(summary(mapped.lines)).toEqual([
      ['Purchase:900', 'Slack', 'Salesforce', '-18.97', 'USD', '2023-02-23'],
      ['VendorCredit:901', 'Atlassian', 'Atlassian', '-12.50', 'EUR', '2023-04-01'],
    ]);
    expect(quickBooksLines({ Bill: [{ Id: '7' }] }).skipped).toEqual([
      { externalId: 'Bill:7', reason: 'no id, total or date' },
    ]);
  });
});

describe('Xero records', () => {
  it('SPEND bank transactions and live ACCPAY bills become lines; other types and voided bills are skipped', () => {
    const bank = [
      ...xero('bank_transactions_GET_example_openapi.json', 'BankTransactions'),
      ...xero('bank_transactions_SPEND_example_openapi.json', 'BankTransactions'),
    ];
    const mapped = xeroLines(bank, xero('invoices_ACCPAY_paged_example_xero-docs.json', 'Invoices'));
    expect(summary(mapped.lines)).toEqual([
      [
        'BankTransaction:1289c190-e46d-434b-9628-463ffdb52f00',
        'Katherine Warren',
        'Katherine Warren',
        '20.00',
        'USD',
        '2019-02-26',
      ],
      ['Invoice:96988e67-ecf9-466d-bfbf-0afa1725a649', 'PowerDirect', 'PowerDirect', '90.00', 'NZD', '2009-05-27'],
    ]);
    expect(mapped.skipped).toEqual([
      { externalId: 'BankTransaction:db54aab0-ad40-4ced-bcff-0940ba20db2c', reason: 'type RECEIVE' },
      { externalId: 'BankTransaction:29a69c45-64ca-4805-a1cc-34990de837b3', reason: 'type SPEND-OVERPAYMENT' },
      { externalId: 'BankTransaction:0b89bf5c-d40b-4514-96be-36a739fb0188', reason: 'type SPEND-OVERPAYMENT' },
      { externalId: 'Invoice:22b3fab4-ef56-4d70-a110-a7cc3c1a26cd', reason: 'status VOIDED' },
    ]);
  });

  it('a /Date(…)/ without a DateString, and credit notes negative', () => {
    const note = {
      InvoiceID: 'cn1',
      Type: 'ACCPAYCREDIT',
      Status: 'AUTHORISED',
      Total: 15,
      CurrencyCode: 'GBP',
      Date: '/Date(1476316800000+0000)/',
      Contact: { Name: 'Zoom Video Communications' },
    };
    expect(summary(xeroLines([], [note]).lines)).toEqual([
      ['Invoice:cn1', 'Zoom', 'Zoom Communications', '-15.00', 'GBP', '2016-10-13'],
    ]);
  });
});

describe('sealed secrets', () => {
  const key = parseKey(Buffer.alloc(32, 7).toString('base64'));
  const other = parseKey('ab'.repeat(32));

  it('AES-256-GCM: opens what it sealed, never the same text twice, and names its key', () => {
    const box = new SecretBox(key);
    const a = box.seal('sample_refresh_token');
    expect(a).toMatch(/^enc:v1:[0-9a-f]{8}:/);
    expect(a).not.toContain('sample_refresh_token');
    expect(box.seal('sample_refresh_token')).not.toBe(a);
    expect(box.open(a)).toBe('sample_refresh_token');
    expect(SecretBox.keyIdOf(a)).toBe(key.id);
  });

  it('keys rotate: a new current key still opens what the previous one sealed', () => {
    const sealed = new SecretBox(key).seal('x');
    expect(new SecretBox(other, [key]).open(sealed)).toBe('x');
    expect(() => new SecretBox(other).open(sealed)).toThrow(SecretBoxError);
  });

  it('an altered value or a wrong key is refused', () => {
    const box = new SecretBox(key);
    const sealed = box.seal('token');
    const parts = sealed.split(':');
    parts[5] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join(':'))).toThrow('altered');
    expect(() => box.open('plain')).toThrow('not a sealed value');
    expect(() => parseKey('too short')).toThrow('32 bytes');
  });
});
