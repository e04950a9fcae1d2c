// Money crosses this boundary in two directions: fen (integers, stored) ↔ yuan (what people say).

/** 12900 → '¥129.00' */
export function formatPrice(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** 199.9 → 19990; rounded to the fen so that float noise (0.1 + 0.2) never leaks into stored amounts. */
export function yuanToFen(yuan: number): number {
  return Math.round(yuan * 100);
}
