// The products a turn's reply is about, returned with the reply so the card can show them with a way
// to buy (docs/domain.md §2 Buying): the card takes no orders, so each comes with its page in the
// mall. Read from what the product tools returned in the turn, never from the model's words alone.
import { z } from 'zod';
import type { StoredToolCall } from '../domain/conversations/repo.ts';
import { TOOL_NAMES } from '../../tools/index.ts';

/** At most this many: a row of cards under one reply. */
export const MAX_TURN_PRODUCTS = 5;

export interface TurnProduct {
  id: number;
  name: string;
  /** '¥129.00', as the tools say it. */
  price: string;
  /** The product's page in the mall's mini-program (shop setting productPagePath). */
  page: string;
}

/** A product as getProduct and searchProducts give it (getProduct also says whether it is on sale). */
const shown = z.object({ id: z.number(), name: z.string(), price: z.string(), page: z.string(), onSale: z.boolean().optional() });
const searchOutput = z.object({ products: z.array(z.unknown()) });

/** Every product the turn's product tools returned, the one looked up first, each once. */
function shownProducts(toolCalls: readonly StoredToolCall[]): TurnProduct[] {
  const looked: unknown[] = [];
  const searched: unknown[] = [];
  for (const call of toolCalls) {
    if (call.name === TOOL_NAMES.getProduct) looked.push(call.output);
    else if (call.name === TOOL_NAMES.searchProducts) {
      const out = searchOutput.safeParse(call.output);
      if (out.success) searched.push(...out.data.products);
    }
  }
  const byId = new Map<number, TurnProduct>();
  for (const raw of [...looked, ...searched]) {
    const p = shown.safeParse(raw);
    // A product taken off sale has no page to buy on.
    if (!p.success || p.data.onSale === false || byId.has(p.data.id)) continue;
    byId.set(p.data.id, { id: p.data.id, name: p.data.name, price: p.data.price, page: p.data.page });
  }
  return [...byId.values()];
}

const bare = (s: string) => s.replace(/\s+/g, '');

/**
 * The products the reply names, in the order it names them; when it names none of them (a model
 * shortens names), every product the turn was shown.
 */
export function turnProducts(reply: string, toolCalls: readonly StoredToolCall[]): TurnProduct[] {
  const products = shownProducts(toolCalls);
  const text = bare(reply);
  const named = products
    .map((p) => ({ p, at: text.indexOf(bare(p.name)) }))
    .filter((x) => x.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((x) => x.p);
  return (named.length ? named : products).slice(0, MAX_TURN_PRODUCTS);
}
