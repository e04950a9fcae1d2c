// Money is integer fen everywhere; the model gets both the fen and the string a shopper reads.

/** 12900 → '¥129.00' */
export function formatFen(fen: number): string {
  return `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** Yuan without trailing zeros for rule text: 12000 → '120', 1250 → '12.5'. */
export function shortYuan(fen: number): string {
  const whole = Math.floor(fen / 100);
  const cents = fen % 100;
  if (cents === 0) return String(whole);
  return `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}
