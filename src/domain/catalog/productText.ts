// What of a product is embedded and what it is found by. Pure: the indexer stores the results.
import { createHash } from 'node:crypto';
import { termSet } from '../../embed/tokenize.ts';
import { readAttributes } from './attributes.ts';

export interface ProductContent {
  name: string;
  brand: string;
  category: string;
  description: string;
  attributes: unknown;
}

/** The text a product's vector is made from: identity first, then attributes, then the long description. */
export function productText(p: ProductContent): string {
  return [p.name, p.brand, p.category, readAttributes(p.attributes).values.join(' '), p.description]
    .filter(Boolean)
    .join('\n');
}

/**
 * products.search_terms: the words of name, brand, category and attribute values. The description
 * stays out: its many words would make every product a lexical match for everything.
 */
export function productTerms(p: ProductContent): string[] {
  return termSet(p.name, p.brand, p.category, ...readAttributes(p.attributes).values);
}

/** Changes when the text or the embedder changes: either way the stored vector is stale. */
export function contentHash(text: string, embedderId: string): string {
  return createHash('sha256').update(embedderId).update('\n').update(text).digest('hex');
}
