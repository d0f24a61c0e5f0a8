/** Card and bank statements: every fixture export parsed to its movements, and software recognised. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { parseDay, parseSignedAmount } from '../../src/domain/csv-values.js';
import { parseStatement } from '../../src/domain/statements/layouts.js';
import { applyMerchantDecision, merchantKey, recogniseVendor } from '../../src/domain/statements/vendors.js';
import { externalFixture } from '../harness/fixtures.js';

const bankCsv = (name: string) => externalFixture(`bank_csv/${name}`);

/** [row, date, description, spend (out positive), currency] of each movement. */
const rowsOf = (text: string) =>
  parseStatement(text).movements.map((m) => [m.row, m.date, m.description, m.spendCents / 100, m.currency]);

describe('statement layouts (the fixtures of five banks)', () => {
  it('Chase card: charges are negative; card payments are skipped', () => {
    const parsed = parseStatement(bankCsv('chase_credit_card_activity.csv'));
    expect(parsed.layout).toBe('chase_card');
    expect(parsed.problems).toEqual([]);
    expect(rowsOf(bankCsv('chase_credit_card_activity.csv'))).toEqual([
      [2, '2026-03-01', 'AMAZON MKTPL*2K4L9 AMZN.COM/BILL WA', 23.45, null],
      [4, '2026-03-14', 'KROGER #1234 CINCINNATI OH', 88.1, null],
    ]);
    expect(parsed.skipped).toEqual([{ row: 3, reason: 'a card payment' }]);
  });

  it('American Express: charges are positive, credits negative', () => {
    const parsed = parseStatement(bankCsv('amex_activity_3col.csv'));
    expect(parsed.layout).toBe('amex');
    expect(rowsOf(bankCsv('amex_activity_3col.csv'))).toEqual([
      [2, '2026-01-18', 'SIMPLY NOODLES 00-08NEW YORK            NY', 62.5, null],
      [3, '2026-01-17', 'LA MAISON DU CHOCOLANew York            NY', -10.89, null],
      [4, '2026-01-16', 'LA MAISON DU CHOCOLANew York            NY', 10.89, null],
      [5, '2026-01-16', 'PEAK RESTAURANT 2867NEW YORK            NY', 149.94, null],
      [6, '2026-01-11', 'UBER EATS           help.uber.com       CA', 65.3, null],
      [7, '2026-01-09', 'AMEX Brilliant Dining Credit', -25, null],
      [8, '2026-01-09', 'OTOOLES WAY RESTAURANEW YORK            NY', 41.24, null],
      [9, '2026-01-02', 'NYCT PAYGO          NEW YORK            NY', 8.5, null],
    ]);
  });

  it('Revolut: completed rows only, the completion day, the row currency', () => {
    const parsed = parseStatement(bankCsv('revolut_account_statement.csv'));
    expect(parsed.layout).toBe('revolut');
    expect(rowsOf(bankCsv('revolut_account_statement.csv'))).toEqual([
      [2, '2025-02-20', 'Payment from John Doe A/o', -900, 'CHF'],
      [3, '2025-02-22', 'Coffee House Zurich', 4.5, 'CHF'],
      [4, '2025-02-23', 'Supermarket Bern', 45.3, 'CHF'],
      [5, '2025-02-24', 'Fuel Station Geneva', 85, 'CHF'],
      [6, '2025-02-25', 'Online Bookstore', 32.75, 'CHF'],
    ]);
    const pending = `${bankCsv('revolut_account_statement.csv').trim()}\nCARD_PAYMENT,Current,2025-02-26 10:00:00,,Slack,-8.75,0.00,CHF,PENDING,924.20\n`;
    expect(parseStatement(pending).skipped).toEqual([{ row: 7, reason: 'state PENDING' }]);
  });

  it('Wise: day-first dates, the merchant rather than the sentence, the row currency', () => {
    const parsed = parseStatement(bankCsv('wise_statement.csv'));
    expect(parsed.layout).toBe('wise');
    expect(rowsOf(bankCsv('wise_statement.csv'))).toEqual([
      [2, '2025-02-20', 'ACME Corp', -2000, 'CHF'],
      [3, '2025-02-21', 'Bistro Cafe Zurich', 52.4, 'CHF'],
      [4, '2025-02-22', 'Alpine Gear Bern', 120.9, 'CHF'],
      [5, '2025-02-23', 'Train Station Kiosk Geneva', 8.75, 'CHF'],
      [6, '2025-02-24', 'Gas Station Basel', 27, 'CHF'],
    ]);
  });

  it('Schwab: separate withdrawal and deposit columns with $ amounts', () => {
    const parsed = parseStatement(bankCsv('schwab_checking_transactions.csv'));
    expect(parsed.layout).toBe('schwab');
    expect(rowsOf(bankCsv('schwab_checking_transactions.csv'))).toEqual([
      [2, '2022-07-31', 'Interest Paid', -1, null],
      [3, '2022-02-03', 'Electronic Withdrawal', 2, null],
    ]);
  });

  it('the Chase checking layout (header from public importers): debits negative', () => {
    const text =
      'Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #\nDEBIT,04/02/2026,ATLASSIAN,-80.00,ACH_DEBIT,1000.00,,\n';
    expect(parseStatement(text).layout).toBe('chase_checking');
    expect(rowsOf(text)).toEqual([[2, '2026-04-02', 'ATLASSIAN', 80, null]]);
  });

  it('a generic export: date, description and amount found by name, day order detected', () => {
    const text = 'Booking Date,Payee,Amount,Currency\n13.04.2026,Zoom.us,-14.99,EUR\n02.05.2026,Figma,-45.00,EUR\n';
    const parsed = parseStatement(text);
    expect(parsed.layout).toBe('generic');
    expect(rowsOf(text)).toEqual([
      [2, '2026-04-13', 'Zoom.us', 14.99, 'EUR'],
      [3, '2026-05-02', 'Figma', 45, 'EUR'],
    ]);
  });

  it('three columns Date, Description, Amount: the rows say which sign a charge has (a card or a bank account)', () => {
    // A bank account's export: money out negative, a refund and a salary positive.
    const bank =
      'Date,Description,Amount\n09/03/2026,SLACK T0123ABC,-1250.00\n09/04/2026,ZOOM.US,-14.99\n09/05/2026,SALARY,4000.00\n09/06/2026,SLACK REFUND,125.00\n09/07/2026,FIGMA,-45.00\n';
    const parsed = parseStatement(bank);
    expect(parsed.layout).toBe('generic');
    expect(parsed.movements.map((m) => [m.description, m.spendCents])).toEqual([
      ['SLACK T0123ABC', 125000],
      ['ZOOM.US', 1499],
      ['SALARY', -400000],
      ['SLACK REFUND', -12500],
      ['FIGMA', 4500],
    ]);
    // A card's export under a generic header: charges positive, a payment negative.
    const card = 'Booking Date,Payee,Amount\n2026-09-03,Slack,8.75\n2026-09-04,Zoom,14.99\n2026-09-05,Payment,-23.74\n';
    expect(parseStatement(card).movements.map((m) => m.spendCents)).toEqual([875, 1499, -2374]);
    // A mapping that names the columns but not the sign: read from the rows too.
    const mapped = 'When,What,Charged\n2026-06-01,SLACK,-8.75\n2026-06-02,ZOOM,-14.99\n';
    expect(
      parseStatement(mapped, { date: 'When', description: 'What', amount: 'Charged' }).movements.map(
        (m) => m.spendCents,
      ),
    ).toEqual([875, 1499]);
  });

  it('property: a one-amount export gives every row once, each charge its amount, the same whichever sign the file uses', () => {
    const header = fc.constantFrom('Date,Description,Amount', 'Booking Date,Payee,Amount');
    const cents = fc.integer({ min: -500_000, max: 500_000 }).filter((c) => c !== 0);
    fc.assert(
      fc.property(header, fc.array(cents, { minLength: 1, maxLength: 30 }), (head, amounts) => {
        const csv = (sign: 1 | -1) =>
          `${head}\n${amounts.map((c, i) => `2026-09-${String((i % 28) + 1).padStart(2, '0')},VENDOR ${i},${((sign * c) / 100).toFixed(2)}`).join('\n')}\n`;
        const asWritten = parseStatement(csv(1));
        const flipped = parseStatement(csv(-1));
        // Nothing dropped, nothing counted twice, no problem with well-formed rows.
        expect(asWritten.problems).toEqual([]);
        expect(asWritten.movements.map((m) => m.row)).toEqual(amounts.map((_, i) => i + 2));
        // Each movement is its row's amount, as spend or as money in: never another figure.
        asWritten.movements.forEach((m, i) => expect(Math.abs(m.spendCents)).toBe(Math.abs(amounts[i]!)));
        // The sign convention is one for the whole file: every row flipped together or none.
        const same = asWritten.movements.every((m, i) => m.spendCents === amounts[i]);
        const opposite = asWritten.movements.every((m, i) => m.spendCents === -amounts[i]!);
        expect(same || opposite).toBe(true);
        // The rows decide it: the majority of rows is spend, so a file and its mirror image read alike
        // (unless as many rows go each way, where the layout's own convention holds).
        const negatives = amounts.filter((c) => c < 0).length;
        if (negatives * 2 !== amounts.length) {
          expect(flipped.movements.map((m) => m.spendCents)).toEqual(asWritten.movements.map((m) => m.spendCents));
          const spending = asWritten.movements.filter((m) => m.spendCents > 0).length;
          expect(spending * 2).toBeGreaterThan(amounts.length);
        }
      }),
      { seed: 20261202, numRuns: 200 },
    );
  });

  it('a mapping names the columns of any layout, and its sign convention', () => {
    const text = 'When,What,Charged\n2026-06-01,SLACK T0123ABC,8.75\n2026-06-03,REFUND SLACK,-8.75\n';
    expect(parseStatement(text).problems[0]?.message).toMatch(/not a layout we recognise.*mapping/);
    const parsed = parseStatement(text, { date: 'When', description: 'What', amount: 'Charged', spend: 'positive' });
    expect(parsed.layout).toBe('mapping');
    expect(parsed.movements.map((m) => [m.date, m.spendCents])).toEqual([
      ['2026-06-01', 875],
      ['2026-06-03', -875],
    ]);
    const [problem] = parseStatement(text, { date: 'Day', description: 'What', amount: 'Charged' }).problems;
    expect(problem?.field).toBe('mapping');
    expect(problem?.message).toContain('date="Day"');
  });

  it('rows with a bad date or amount are problems with their row number', () => {
    const text = 'Date,Description,Amount\n01/02/2026,SLACK,8.75\n13/45/2026,ZOOM,14.99\n01/03/2026,NOTION,ten\n';
    expect(parseStatement(text).problems).toEqual([
      { row: 3, field: 'Date', message: '"13/45/2026" is not a date' },
      { row: 4, field: 'Amount', message: '"ten" is not an amount' },
    ]);
    expect(parseStatement('').problems).toEqual([{ row: 0, field: 'csv', message: 'has no rows' }]);
  });
});

describe('software in descriptors', () => {
  it.each([
    ['SLACK T0123ABC SAN FRANCISCO', 'Slack'],
    ['GOOGLE *GSUITE', 'Google Workspace'],
    ['ATLASSIAN', 'Atlassian'],
    ['ZOOM.US 888-799-9666', 'Zoom'],
    ['PAYPAL *NOTION', 'Notion'],
    ['NOTION LABS, INC.', 'Notion'],
    ['GITHUB, INC.', 'GitHub'],
    ['OPENAI *CHATGPT SUBSCR', 'ChatGPT'],
    ['MSFT *AZURE', 'Microsoft Azure'],
    ['DROPBOX*1234', 'Dropbox'],
    ['MONDAY.COM', 'Monday.com'],
  ])('%s → %s', (descriptor, tool) => {
    expect(recogniseVendor(descriptor)?.toolName).toBe(tool);
  });

  it.each([
    'BOX LUNCH CAFE',
    'LINEAR ORDERS INC',
    'AMAZON MKTPL*2K4L9 AMZN.COM/BILL WA',
    'KROGER #1234 CINCINNATI OH',
    'UBER EATS help.uber.com CA',
    '',
  ])('not software: %s', (descriptor) => {
    expect(recogniseVendor(descriptor)).toBeNull();
  });
});

describe('amounts and days', () => {
  it.each([
    ['$1,234.50', 1234.5],
    ['-23.45', -23.45],
    ['(12.00)', -12],
    ['1.234,50 €', 1234.5],
    ['+5', 5],
    ['abc', null],
    ['', null],
  ])('%s → %s', (text, value) => {
    expect(parseSignedAmount(text)).toBe(value);
  });

  it('days in each order, real calendar days only', () => {
    expect(parseDay('2025-02-20 08:15:30', 'MDY')).toBe('2025-02-20');
    expect(parseDay('01/18/2026', 'MDY')).toBe('2026-01-18');
    expect(parseDay('20-02-2025', 'DMY')).toBe('2025-02-20');
    expect(parseDay('02/30/2026', 'MDY')).toBeNull();
    expect(parseDay('20-02-2025', 'MDY')).toBeNull();
  });
});

describe("an organization's decisions about merchants", () => {
  it('the merchant key keeps the name and drops what changes from charge to charge', () => {
    expect(merchantKey('ACME ANALYTICS 4411-889 SF')).toBe('acme analytics sf');
    expect(merchantKey('ACME ANALYTICS 5120-001 SF')).toBe('acme analytics sf');
    expect(merchantKey('SQ *BLUE BOTTLE 0042 OAKLAND')).toBe('sq blue bottle');
    expect(merchantKey('12345 67890')).toBe('');
  });

  it('a decision changes only lines waiting for review', () => {
    const waiting = { review: 'unreviewed', toolName: 'ACME ANALYTICS 1', vendor: null };
    const software = { decision: 'software', toolName: 'Acme Analytics', vendor: null };
    expect(applyMerchantDecision(waiting, software)).toEqual({
      review: 'software',
      toolName: 'Acme Analytics',
      vendor: 'Acme Analytics',
    });
    expect(applyMerchantDecision(waiting, { decision: 'not_software', toolName: null, vendor: null }).review).toBe(
      'not_software',
    );
    expect(applyMerchantDecision(waiting, undefined)).toBe(waiting);
    const recognised = { review: 'software', toolName: 'Slack', vendor: 'Salesforce' };
    expect(applyMerchantDecision(recognised, { decision: 'not_software', toolName: null, vendor: null })).toBe(
      recognised,
    );
  });
});
