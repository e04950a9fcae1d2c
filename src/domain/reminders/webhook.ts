// Delivery to the mall backend, which sends the WeChat subscribe message (订阅消息) itself. The body
// is signed with HMAC-SHA256 over the raw bytes (X-Laotie-Signature: sha256=<hex>); the timestamp
// is inside the signed body too, so a receiver can refuse replays. X-Laotie-Delivery-Id is the
// outbox row's id: a retry after a lost acknowledgement carries the same id, for the receiver to
// drop as a duplicate.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { refusalIn, type DestinationGuard } from '../../net/destinationGuard.ts';

export const SIGNATURE_HEADER = 'x-laotie-signature';
export const TIMESTAMP_HEADER = 'x-laotie-timestamp';
export const DELIVERY_HEADER = 'x-laotie-delivery-id';

export function signBody(secret: string, rawBody: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** For receivers (and tests): constant-time check of a signature header against the raw body. */
export function verifySignature(secret: string, rawBody: string | Uint8Array, header: string | undefined | null): boolean {
  if (!header) return false;
  const want = Buffer.from(signBody(secret, rawBody));
  const got = Buffer.from(header);
  return want.length === got.length && timingSafeEqual(want, got);
}

export interface WebhookDelivery {
  url: string;
  secret: string;
  deliveryId: string;
  payload: Record<string, unknown>;
  sentAt: Date;
  timeoutMs?: number;
  /** The guard's fetch: it connects only to destinations the guard allows. */
  fetch: DestinationGuard['fetch'];
}

export type WebhookResult =
  | { ok: true; status: number }
  /** retryable false: the receiver refused the request itself (4xx), or the destination is refused:
   *  a retry would get the same. */
  | { ok: false; status: number | null; retryable: boolean; error: string };

export async function postWebhook(d: WebhookDelivery): Promise<WebhookResult> {
  const timestamp = String(Math.floor(d.sentAt.getTime() / 1000));
  const body = JSON.stringify({ ...d.payload, deliveryId: d.deliveryId, timestamp: Number(timestamp) });
  try {
    const res = await d.fetch(d.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'laotie-reminders/1',
        [SIGNATURE_HEADER]: signBody(d.secret, body),
        [TIMESTAMP_HEADER]: timestamp,
        [DELIVERY_HEADER]: d.deliveryId,
      },
      body,
      signal: AbortSignal.timeout(d.timeoutMs ?? 10_000),
    });
    await res.body?.cancel().catch(() => {});
    if (res.ok) return { ok: true, status: res.status };
    const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
    return { ok: false, status: res.status, retryable, error: `HTTP ${res.status}` };
  } catch (e) {
    // Only the refusal is told, never the socket's error: that would tell open ports from closed ones.
    const refused = refusalIn(e);
    if (refused) return { ok: false, status: null, retryable: false, error: refused.message };
    const err = e as Error & { cause?: { code?: string } };
    return { ok: false, status: null, retryable: true, error: `${err.name}: ${err.cause?.code ?? err.message}`.slice(0, 300) };
  }
}
