/**
 * Secrets at rest (OAuth tokens, API keys): AES-256-GCM with a key from ENCRYPTION_KEY.
 * Each sealed value names its key by an id (the first 8 hex digits of the key's SHA-256), so
 * keys can rotate: the current key seals, any configured key opens. Node's own crypto is
 * used (no library needed for one authenticated cipher); the format is versioned:
 *
 *   enc:v1:<keyId>:<iv, base64url>:<tag, base64url>:<ciphertext, base64url>
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1';

export class SecretBoxError extends Error {}

export interface SecretKey {
  id: string;
  key: Buffer;
}

/** A key from its configured text: 32 bytes as base64 or hex. */
export function parseKey(text: string): SecretKey {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new SecretBoxError('an encryption key must be 32 bytes (base64 or 64 hex digits)');
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
}

export class SecretBox {
  private readonly keys: Map<string, Buffer>;

  /** `current` seals; `previous` keys still open what they sealed. */
  constructor(
    private readonly current: SecretKey,
    previous: readonly SecretKey[] = [],
  ) {
    this.keys = new Map([current, ...previous].map((k) => [k.id, k.key]));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      PREFIX,
      this.current.id,
      iv.toString('base64url'),
      tag.toString('base64url'),
      data.toString('base64url'),
    ].join(':');
  }

  open(sealed: string): string {
    const parts = sealed.split(':');
    if (parts.length !== 6 || `${parts[0]}:${parts[1]}` !== PREFIX) throw new SecretBoxError('not a sealed value');
    const [, , keyId, iv, tag, data] = parts as [string, string, string, string, string, string];
    const key = this.keys.get(keyId);
    if (!key) throw new SecretBoxError(`sealed with key ${keyId}, which is not configured`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('the sealed value was altered or the key is wrong');
    }
  }

  /** The id of the key a value was sealed with (to re-seal values under an old key). */
  static keyIdOf(sealed: string): string | null {
    const parts = sealed.split(':');
    return parts.length === 6 && `${parts[0]}:${parts[1]}` === PREFIX ? parts[2]! : null;
  }

  get currentKeyId(): string {
    return this.current.id;
  }
}
