// Places for open GET /v1/live streams: so many per token subject (one shopper, one staff member,
// however many tokens they hold) and so many per shop. A stream holds memory and a waiter in the hub
// for as long as it is open, so one token could otherwise hold thousands.
//
// In memory, like the chat rate limits (src/http/rateLimit.ts): each replica counts its own streams,
// so N replicas hold up to N × the limits. A stream gives its place back when it ends, however it
// ends; a restart starts from nothing, as every stream was dropped with it.

export interface LiveSlotLimits {
  /** Streams per token subject; 0 = no limit. */
  perSubject: number;
  /** Streams per shop; 0 = no limit. */
  perShop: number;
}

export type SlotGrant = { ok: true; release(): void } | { ok: false; full: 'subject' | 'shop' };

export function liveSlots(limits: LiveSlotLimits) {
  const bySubject = new Map<string, number>();
  const byShop = new Map<string, number>();
  const over = (counts: Map<string, number>, key: string, limit: number) => limit > 0 && (counts.get(key) ?? 0) >= limit;
  const add = (counts: Map<string, number>, key: string, delta: number) => {
    const n = (counts.get(key) ?? 0) + delta;
    if (n > 0) counts.set(key, n);
    else counts.delete(key);
  };
  return {
    /** A place for one more stream of `subject` in `shopId`, or which limit is full. */
    take(shopId: string, subject: string): SlotGrant {
      // Keyed with the shop: a subject is an id within its shop.
      const who = `${shopId}\u0000${subject}`;
      if (over(bySubject, who, limits.perSubject)) return { ok: false, full: 'subject' };
      if (over(byShop, shopId, limits.perShop)) return { ok: false, full: 'shop' };
      add(bySubject, who, 1);
      add(byShop, shopId, 1);
      let released = false;
      return {
        ok: true,
        release() {
          if (released) return;
          released = true;
          add(bySubject, who, -1);
          add(byShop, shopId, -1);
        },
      };
    },
  };
}
