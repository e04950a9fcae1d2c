// A token signed by hand, with whatever sub a test needs: minting goes through one identity type
// (src/context.ts), so spellings the service must refuse ("07", " 7") can only be made this way.
import { SignJWT } from 'jose';

export function signWithSub(secret: string, sub: string, claims: { shop?: string; role?: string; ttlSeconds?: number } = {}): Promise<string> {
  return new SignJWT({ shop: claims.shop ?? 'demo', role: claims.role ?? 'shopper' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer('laotie')
    .setIssuedAt()
    .setExpirationTime(`${claims.ttlSeconds ?? 3600}s`)
    .sign(new TextEncoder().encode(secret));
}
