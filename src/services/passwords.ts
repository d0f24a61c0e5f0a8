/**
 * Password hashing: argon2id with OWASP's parameters (m=19 MiB, t=2, p=1). Hashes the seed
 * plan made with bcrypt ($2a$/$2b$/$2y$) still verify; the caller re-hashes them with
 * argon2id after a successful login (`needsRehash`).
 */
import { hash, verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

// 2 is Algorithm.Argon2id: a const enum, which verbatimModuleSyntax cannot import.
const ARGON2ID = 2;
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;
/** Bounds the work one request can ask of the hasher. */
export const MAX_PASSWORD_LENGTH = 1024;

const BCRYPT = /^\$2[aby]\$\d{2}\$/;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

// Verified against when the email is unknown, so that an unknown email costs the same
// time as a wrong password.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    dummyHash ??= hashPassword('not-a-real-password');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  if (BCRYPT.test(storedHash)) return bcrypt.compare(password, storedHash);
  try {
    return await verify(storedHash, password);
  } catch {
    return false; // not a hash we know: no password matches it
  }
}

export function needsRehash(storedHash: string): boolean {
  return !storedHash.startsWith('$argon2id$v=19$m=19456,t=2,p=1$');
}
