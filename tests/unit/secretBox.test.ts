import { expect, it } from 'vitest';
import { createSecretBox } from '../../src/auth/secretBox.ts';

const box = createSecretBox('a-token-secret-of-at-least-32-characters!');

it('opens what it sealed, and the sealed text shows nothing of the secret', () => {
  const sealed = box.seal('sk-live-0123456789', 'shop-a');
  expect(sealed).not.toContain('sk-live');
  expect(box.open(sealed, 'shop-a')).toBe('sk-live-0123456789');
  // A fresh nonce each time: the same key sealed twice does not look the same.
  expect(box.seal('sk-live-0123456789', 'shop-a')).not.toBe(sealed);
});

it("does not open another shop's sealed key, one sealed under another AUTH_SECRET, or an altered one", () => {
  const sealed = box.seal('sk-live-0123456789', 'shop-a');
  expect(() => box.open(sealed, 'shop-b')).toThrow();
  expect(() => createSecretBox('another-token-secret-of-32-characters!!').open(sealed, 'shop-a')).toThrow();
  const [v, iv, data, tag] = sealed.split('.');
  const flipped = data!.slice(0, -2) + (data!.at(-2) === 'A' ? 'B' : 'A') + data!.at(-1);
  expect(() => box.open([v, iv, flipped, tag].join('.'), 'shop-a')).toThrow();
  expect(() => box.open('not sealed', 'shop-a')).toThrow(/not a sealed secret/);
});
