import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenIssuer } from '../../src/auth/tokens.ts';
import { signWithSub } from '../helpers/rawTokens.ts';

const SECRET = 'unit-secret-'.padEnd(40, 'x');
const shopper = { shopId: 'demo', role: 'shopper' as const, shopperId: 42 };

describe('bearer tokens', () => {
  afterEach(() => vi.useRealTimers());

  it('verifies a minted token, the second time from memory, with the same caller', async () => {
    const tokens = createTokenIssuer(SECRET);
    const token = await tokens.mint(shopper);
    expect(await tokens.verify(token)).toEqual(shopper);
    expect(await tokens.verify(token)).toEqual(shopper);
  });

  it('hands out a copy: a caller changed by one request does not change the next', async () => {
    const tokens = createTokenIssuer(SECRET);
    const token = await tokens.mint(shopper);
    const first = await tokens.verify(token);
    first.shopId = 'elsewhere';
    expect((await tokens.verify(token)).shopId).toBe('demo');
  });

  it('refuses a remembered token once it has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-25T08:00:00Z'));
    const tokens = createTokenIssuer(SECRET);
    const token = await tokens.mint(shopper, 60);
    await tokens.verify(token);
    vi.setSystemTime(new Date('2026-11-25T08:01:01Z'));
    await expect(tokens.verify(token)).rejects.toThrow('token expired');
    await expect(tokens.verify(token)).rejects.toThrow('token expired');
  });

  it('refuses a token whose payload was changed after a good one was remembered', async () => {
    const tokens = createTokenIssuer(SECRET);
    const token = await tokens.mint(shopper);
    await tokens.verify(token);
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ shop: 'demo', role: 'admin', sub: '42', iss: 'laotie', exp: 4_102_444_800 })).toString('base64url');
    await expect(tokens.verify(`${header}.${forged}.${signature}`)).rejects.toThrow('invalid token');
  });

  it('takes a sub only in its canonical spelling: "01", "1.0", " 1", "+1", "1e0" are not shopper 1', async () => {
    const tokens = createTokenIssuer(SECRET);
    const as = async (role: 'shopper' | 'staff' | 'admin', sub: string) => tokens.verify(await signWithSub(SECRET, sub, { role }));
    expect(await as('shopper', '1')).toEqual({ shopId: 'demo', role: 'shopper', shopperId: 1 });
    for (const sub of ['01', '1.0', ' 1', '1 ', '+1', '1e0', '0x1', '0', '-1', 'one', '1234567890123456']) {
      await expect(as('shopper', sub), JSON.stringify(sub)).rejects.toThrow('invalid token');
    }
    // Staff ids may be names; a number among them is still written one way.
    expect(await as('staff', 'op-1')).toEqual({ shopId: 'demo', role: 'staff', staffId: 'op-1' });
    expect(await as('admin', '7')).toEqual({ shopId: 'demo', role: 'admin', staffId: '7' });
    for (const sub of ['07', ' op-1', 'op 1', '-op']) await expect(as('staff', sub), JSON.stringify(sub)).rejects.toThrow('invalid token');
  });

  it('refuses a token without an expiry, and one signed with another secret', async () => {
    const tokens = createTokenIssuer(SECRET);
    const key = new TextEncoder().encode(SECRET);
    const forever = await new SignJWT({ shop: 'demo', role: 'shopper' }).setProtectedHeader({ alg: 'HS256' }).setSubject('42').setIssuer('laotie').sign(key);
    await expect(tokens.verify(forever)).rejects.toThrow('invalid token');
    const other = await createTokenIssuer('another-secret-'.padEnd(40, 'y')).mint(shopper);
    await expect(tokens.verify(other)).rejects.toThrow('invalid token');
  });
});
