// Secrets the service keeps for a shop and must use again (a shop's model API key), encrypted at
// rest: AES-256-GCM with a key derived from the token secret by HKDF, so no second secret has to be
// configured, and a database copy without the service's AUTH_SECRET does not reveal them. The shop
// id is the additional data: a sealed key copied to another shop's row does not open there.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface SecretBox {
  seal(plain: string, context: string): string;
  /** Throws when the text was sealed under another secret or context, or was altered. */
  open(sealed: string, context: string): string;
}

const VERSION = 'v1';
// Fixed labels: a different purpose of the same AUTH_SECRET would derive a different key.
const SALT = 'laotie/secret-box';
const INFO = 'shop model api key';

export function createSecretBox(authSecret: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', authSecret, SALT, INFO, 32));
  return {
    seal(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), data.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open(sealed, context) {
      const [version, iv, data, tag] = sealed.split('.');
      if (version !== VERSION || !iv || data === undefined || !tag) throw new Error('not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
