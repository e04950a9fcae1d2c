// npx tsx bench/data/buildRelevance.ts: writes bench/data/relevance.jsonl, the graded query set of
// bench/relevance.ts, from the demo catalog's attributes (src/demo/catalog.ts, the same fixed seed
// as npm run seed) and the intents of relevanceQueries.ts. No search is run: the grades follow from
// the attributes alone. Products are referred to by name, which re-seeding does not change.
//
// Grades: 3 = exactly what was asked, 2 = good (one minor ask missed), 1 = acceptable (a substitute,
// or two minor asks missed). A product of the wanted type (or category) starts at 3, a substitute
// (another type of the category, a `near` category or type) at 1; each missed ask takes off its
// weight: an effect, the skin type or the series 1, the brand or the colour 2, the budget 2 (1 when
// within 15% of it). A missed `must` ask, or no match of type/category/near, is not relevant.
// The split into dev (1/3) and test (2/3) is drawn once, at random with a fixed seed.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateCatalog } from '../../src/demo/catalog.ts';
import { createRng, rngFor } from '../../src/demo/rng.ts';
import type { ProductSeed } from '../../src/demo/types.ts';
import { QUERIES, type Intent } from './relevanceQueries.ts';

export const RELEVANCE_FILE = fileURLToPath(new URL('relevance.jsonl', import.meta.url));
const SPLIT_SEED = 19;
const PRICE_SLACK = 0.15;

interface Attrs {
  skin_types?: string[];
  effects?: string[];
  colors?: string[];
}

export function grade(p: ProductSeed, it: Intent): number {
  const a = p.attributes as Attrs;
  const wantsKind = Boolean(it.type || it.cat);
  let cap = 0;
  if (!wantsKind) cap = 3;
  else if (it.type ? it.type.includes(p.productType) : it.cat!.includes(p.category)) cap = 3;
  else if ((it.type && it.cat?.includes(p.category)) || it.near?.includes(p.category) || it.near?.includes(p.productType)) cap = 1;
  if (!cap) return 0;
  const met = {
    effect: !it.effect || it.effect.some((e) => a.effects?.includes(e)),
    skin: !it.skin || Boolean(a.skin_types?.includes(it.skin)),
    brand: !it.brand || p.brand === it.brand,
    color: !it.color || it.color.some((c) => a.colors?.includes(c)),
    series: !it.series || p.name.includes(it.series),
  };
  const yuan = p.priceFen / 100;
  const over = it.maxYuan !== undefined && yuan > it.maxYuan ? (yuan - it.maxYuan) / it.maxYuan : 0;
  const under = it.minYuan !== undefined && yuan < it.minYuan ? (it.minYuan - yuan) / it.minYuan : 0;
  const price = over || under ? (Math.max(over, under) <= PRICE_SLACK ? 1 : 2) : 0;
  if (it.must?.some((m) => (m === 'price' ? price > 0 : !met[m]))) return 0;
  const penalty =
    (met.effect ? 0 : 1) + (met.skin ? 0 : 1) + (met.series ? 0 : 1) + (met.brand ? 0 : 2) + (met.color ? 0 : 2) + price;
  return Math.max(0, cap - penalty);
}

export interface LabelledQuery {
  id: string;
  split: 'dev' | 'test';
  kind: string;
  text: string;
  /** Graded relevant products by name, best first. */
  relevant: Array<{ name: string; grade: number }>;
}

export function buildRelevance(): LabelledQuery[] {
  const products = generateCatalog(rngFor('catalog'), Date.parse('2026-09-17T02:00:00Z'));
  const order = createRng(SPLIT_SEED).shuffle(QUERIES.map((_, i) => i));
  const dev = new Set(order.slice(0, Math.round(QUERIES.length / 3)));
  return QUERIES.map((spec, i) => ({
    id: `q${String(i + 1).padStart(3, '0')}`,
    split: dev.has(i) ? 'dev' : 'test',
    kind: spec.kind,
    text: spec.text,
    relevant: products
      .map((p) => ({ name: p.name, grade: grade(p, spec.intent) }))
      .filter((r) => r.grade > 0)
      .sort((x, y) => y.grade - x.grade || x.name.localeCompare(y.name)),
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const set = buildRelevance();
  const empty = set.filter((s) => !s.relevant.some((r) => r.grade >= 2));
  if (empty.length) throw new Error(`nothing good for: ${empty.map((s) => s.text).join(', ')}`);
  writeFileSync(RELEVANCE_FILE, set.map((s) => JSON.stringify(s)).join('\n') + '\n');
  console.log(`${set.length} queries (${set.filter((s) => s.split === 'dev').length} dev) → ${RELEVANCE_FILE}`);
}
