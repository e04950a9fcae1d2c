// What `npm start` prints once the demo shop serves: pages ready to open (the token travels in the
// URL fragment, which no request carries), a staff token, and each sample shopper with a token, so a
// first run needs no second command to try the card.
import type { TokenIssuer } from '../auth/tokens.ts';
import type { Queryable } from '../db/db.ts';
import { DEMO_SHOP_ID, listSampleShoppers } from './index.ts';

/** The staff member the printed staff token signs in as. */
export const DEMO_STAFF_ID = 'demo-staff';
const TOKEN_DAYS = 7;

export async function demoBanner(db: Queryable, tokens: TokenIssuer, baseUrl: string): Promise<string[]> {
  const samples = await listSampleShoppers(db, DEMO_SHOP_ID);
  if (!samples.length) return [];
  const staffToken = await tokens.mint({ shopId: DEMO_SHOP_ID, role: 'staff', staffId: DEMO_STAFF_ID });
  const shopperTokens = await Promise.all(samples.map((s) => tokens.mint({ shopId: DEMO_SHOP_ID, role: 'shopper', shopperId: s.id })));
  const first = samples[0]!;
  const lines = [
    `Demo shop "${DEMO_SHOP_ID}" — open in a browser (tokens valid ${TOKEN_DAYS} days):`,
    `  card page (as ${first.nickname}, ${first.openid}):`,
    `    ${baseUrl}/card/${DEMO_SHOP_ID}#token=${shopperTokens[0]}`,
    `  staff console (as ${DEMO_STAFF_ID}):`,
    `    ${baseUrl}/staff#token=${staffToken}`,
    `Staff token: ${staffToken}`,
    'Sample shoppers (a card page for another one: replace the token in the card URL):',
  ];
  samples.forEach((s, i) => {
    lines.push(
      `  ${s.openid}  ${s.nickname}  shopper ${s.id}  ${s.tier} / ${s.referralIdentity}`,
      `    try: ${s.note}`,
      `    token: ${shopperTokens[i]}`,
    );
  });
  lines.push(`More tokens: npm run token -- --shop ${DEMO_SHOP_ID} --user <shopperId> [--role staff|admin]`);
  return lines;
}
