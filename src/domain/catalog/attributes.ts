// products.attributes is imported JSON: read it defensively, so a malformed row shows as "no value"
// instead of breaking a search.

export interface ProductAttributes {
  skinTypes: string[];
  colors: string[];
  effects: string[];
  spec?: string;
  /** Every value, flattened, in key order: the words a product is found by. */
  values: string[];
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (typeof v === 'number') return [String(v)];
  if (Array.isArray(v)) return v.flatMap(strings);
  return [];
}

export function readAttributes(raw: unknown): ProductAttributes {
  const a = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const spec = typeof a.spec === 'string' && a.spec ? a.spec : undefined;
  return {
    skinTypes: strings(a.skin_types),
    colors: strings(a.colors),
    effects: strings(a.effects),
    ...(spec ? { spec } : {}),
    values: Object.keys(a)
      .sort()
      .flatMap((k) => strings(a[k])),
  };
}
