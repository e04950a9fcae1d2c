// The demo catalog: brand × series × type for each category of catalogData.ts, priced by the brand's
// place in the type's price range, plus the hand-written activation products.
import {
  ACTIVATION_PRODUCTS,
  BRANDS,
  CATEGORIES,
  type ActivationProductData,
  type BrandData,
  type CategoryData,
  type ProductTypeData,
  type SeriesData,
} from './catalogData.ts';
import type { Rng } from './rng.ts';
import { compactDate, DAY, HOUR, shanghaiDate } from './time.ts';
import { SKIN_TYPES, type ProductSeed } from './types.ts';

// Launched within the last 14 days: the "新品" a preview or a growth task points at.
const NEW_LAUNCHES = 12;
const SOLD_OUT = 5;
const OFF_SHELF = 2;

export function generateCatalog(rng: Rng, now: number): ProductSeed[] {
  const products = [
    ...CATEGORIES.flatMap((category) => categoryProducts(rng, category, now)),
    ...ACTIVATION_PRODUCTS.map((a) => activationProduct(a, now)),
  ];
  markShelfStates(rng, products, now);
  return products.map((p, i) => withBatch(rng, p, now, i));
}

function categoryProducts(rng: Rng, category: CategoryData, now: number): ProductSeed[] {
  const out: ProductSeed[] = [];
  const seen = new Set<string>();
  for (let attempt = 0; out.length < category.count; attempt++) {
    if (attempt > category.count * 50) throw new Error(`seed catalog: too few combinations for ${category.name}`);
    // Round-robin over the types keeps every type of the category on the shelf.
    const type = category.types[attempt % category.types.length]!;
    const series = rng.pick(category.series);
    const brand = BRANDS[rng.pick(category.brands)]!;
    const key = `${brand.name}|${series.name}|${type.name}`;
    if (type.name.includes(series.name) || seen.has(key)) continue;
    seen.add(key);
    const spec = rng.pick(type.specs);
    const effects = [...new Set([...type.effects, ...(series.effects ?? [])])];
    const colors = type.colors ? pickColors(rng, type.colors) : undefined;
    out.push({
      sku: `DEMO-${category.code}-${String(out.length + 1).padStart(4, '0')}`,
      supplierId: brand.supplierId,
      name: `${brand.name} ${series.name}${type.name} ${spec}`,
      brand: brand.name,
      category: category.name,
      productType: type.name,
      description: describe(brand, series, type, category, effects),
      attributes: { skin_types: [...type.skinTypes], ...(colors ? { colors } : {}), effects, spec },
      priceFen: retailPrice(type.priceFen[0] + (type.priceFen[1] - type.priceFen[0]) * (brand.position * 0.7 + rng.next() * 0.3)),
      stock: rng.int(20, 600),
      usageCycleDays: type.usageCycleDays ?? null,
      origin: brand.origin,
      qcReportRef: '',
      batchNo: '',
      isActivation: false,
      status: 'on_sale',
      launchedAt: now - rng.int(20 * 24, 720 * 24) * HOUR,
    });
  }
  return out;
}

/** A shelf price in fen: 99, 129, 159 … yuan from 50 yuan up, 9.9, 19.9 … below, as such shops price. */
function retailPrice(fen: number): number {
  const yuan = Math.floor(fen / 100);
  return yuan >= 50 ? (Math.floor(yuan / 10) * 10 + 9) * 100 : yuan * 100 + 90;
}

function pickColors(rng: Rng, colors: readonly string[]): string[] {
  const chosen = new Set(rng.sample(colors, rng.int(2, Math.min(4, colors.length))));
  return colors.filter((c) => chosen.has(c));
}

function describe(brand: BrandData, series: SeriesData, type: ProductTypeData, category: CategoryData, effects: string[]): string {
  const what = `${brand.name}${series.name}${type.name}：${type.blurb}。`;
  const suits = category.household
    ? `日常家用，一件大约能用${type.usageCycleDays ?? 60}天，适合定期补货。`
    : `${type.skinTypes.length === SKIN_TYPES.length ? '各种肤质都适用' : `适合${type.skinTypes.join('、')}`}，主打${effects.join('、')}。`;
  const trust = brand.imported
    ? `${brand.origin}原装进口，报关单和每批次质检报告可查。`
    : `${brand.origin}工厂生产，供应链统一质检，48小时内发货。`;
  return what + suits + trust;
}

function activationProduct(a: ActivationProductData, now: number): ProductSeed {
  const brand = BRANDS[a.brand]!;
  return {
    ...a,
    attributes: { ...a.attributes },
    supplierId: brand.supplierId,
    stock: 999,
    usageCycleDays: null,
    origin: brand.origin,
    qcReportRef: '',
    batchNo: '',
    isActivation: true,
    status: 'on_sale',
    // On sale since the shop joined the 链动 programme, before any seeded order.
    launchedAt: now - 400 * DAY,
  };
}

/** A few new launches, sold-out and delisted products, never an activation product. */
function markShelfStates(rng: Rng, products: ProductSeed[], now: number): void {
  const regular = rng.shuffle(products.filter((p) => !p.isActivation));
  for (const p of regular.slice(0, NEW_LAUNCHES)) p.launchedAt = now - rng.int(24, 13 * 24) * HOUR;
  for (const p of regular.slice(NEW_LAUNCHES, NEW_LAUNCHES + SOLD_OUT)) p.stock = 0;
  for (const p of regular.slice(NEW_LAUNCHES + SOLD_OUT, NEW_LAUNCHES + SOLD_OUT + OFF_SHELF)) p.status = 'off_shelf';
}

/** The batch on the shelf (made after launch, within the last 8 months) and its QC report. */
function withBatch(rng: Rng, p: ProductSeed, now: number, index: number): ProductSeed {
  const madeAt = Math.max(p.launchedAt, now - rng.int(15, 240) * DAY);
  return {
    ...p,
    batchNo: `${compactDate(madeAt)}${String.fromCharCode(65 + rng.int(0, 25))}${rng.int(1, 9)}`,
    qcReportRef: `QC-${shanghaiDate(madeAt).year}-${String(index + 1).padStart(4, '0')}`,
  };
}
