/**
 * IDs: a type prefix and a time-ordered random part, e.g. `audit_01JH3K…` — a ULID
 * (48-bit millisecond time, 80 random bits, Crockford base32), so ids sort by creation
 * and index well. Ids made elsewhere (the seed's `user_demo_123`, imported ones) are just
 * as valid: anything matching ID_PATTERN.
 */
import { randomFillSync } from 'node:crypto';

import { monotonicFactory } from 'ulid';

export const ID_PATTERN = '^[A-Za-z0-9_-]{1,50}$';
const idRegex = new RegExp(ID_PATTERN);

export const ID_PREFIXES = {
  organization: 'org',
  user: 'user',
  audit: 'audit',
  analysis: 'analysis',
  subscription: 'sub',
  invite: 'inv',
  comment: 'cmt',
  share: 'shr',
  userShare: 'ushr',
  reaction: 'rct',
  activity: 'act',
  notificationPreferences: 'npref',
  integration: 'intg',
  toolCost: 'cost',
  vendorRule: 'vrule',
  acceptedRecommendation: 'acc',
  session: 'sess',
  email: 'mail',
  notification: 'ntf',
  accountToken: 'atok',
  aiCall: 'aicall',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/**
 * ulid's own generator asks the operating system for one random byte per character (16
 * calls of crypto.randomBytes per id): measurable on a write-heavy route. The same
 * cryptographic randomness, drawn from a pool refilled 4 KiB at a time.
 */
const pool = new Uint8Array(4096);
let next = pool.length;
function randomUnit(): number {
  if (next >= pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]! / 256;
}

// Monotonic: ids made in the same millisecond still sort in the order they were made.
const ulid = monotonicFactory(randomUnit);

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${ulid()}`;
}

export function isValidId(value: string): boolean {
  return idRegex.test(value);
}
