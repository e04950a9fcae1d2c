// The search the card's offline model makes of a shopper's first message about products, for the
// relevance benchmark: the message's slots (src/agent/offline/slots.ts, over the shop's vocabulary)
// become the searchProducts tool's fields as src/agent/offline/flowShopping.ts's searchPlan writes
// them for a new search, and the tool's input becomes a ProductQuery as tools/searchProducts.ts
// converts it (yuan to fen, in stock only). The limit is the benchmark's (10), not the card's 5.
import { extractSlots, type VocabMatch } from '../../src/agent/offline/slots.ts';
import { yuanToFen } from '../../src/domain/catalog/price.ts';
import type { ProductQuery } from '../../src/domain/catalog/types.ts';
import type { CatalogVocabulary } from '../../src/domain/catalog/vocabulary.ts';
import { normalize } from '../../src/text/normalize.ts';

const QUERY_MAX = 200;
const shopValue = (m: VocabMatch | undefined) => (m?.inShop ? m.value : undefined);

export function agentQuery(raw: string, vocab: CatalogVocabulary, today: string, limit: number): ProductQuery {
  const s = extractSlots(normalize(raw), raw, vocab, today);
  const q: ProductQuery = {
    text: raw.slice(0, QUERY_MAX),
    category: shopValue(s.category),
    skinType: shopValue(s.skinType),
    color: shopValue(s.color),
    effect: s.effect?.value,
    inStockOnly: true,
    limit,
  };
  if (s.budget?.minYuan !== undefined) q.minPriceFen = yuanToFen(s.budget.minYuan);
  if (s.budget?.maxYuan !== undefined) q.maxPriceFen = yuanToFen(s.budget.maxYuan);
  if (s.priceShift === 'cheaper') q.sort = 'price_asc';
  return q;
}
