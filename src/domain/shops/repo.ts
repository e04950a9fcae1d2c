import type { Queryable } from '../../db/db.ts';
import { NotFound } from '../../errors.ts';
import { parseShopSettings, type ShopSettings } from './settings.ts';

export interface Shop {
  id: string;
  name: string;
  intro: string;
  timezone: string;
  card: {
    advisorName: string;
    advisorPhotoUrl: string;
    advisorTitle: string;
    persona: string;
    advisorPersona: string;
    tone: string;
    contact: string;
  };
  settings: ShopSettings;
}

interface ShopRow {
  id: string;
  name: string;
  intro: string;
  timezone: string;
  advisor_name: string;
  advisor_photo_url: string;
  advisor_title: string;
  persona: string;
  advisor_persona: string;
  tone: string;
  contact: string;
  settings: unknown;
}

/** Every shop with its time zone, for the jobs that run once a day per shop in its own time. */
export async function listShops(db: Queryable): Promise<{ id: string; timezone: string }[]> {
  const { rows } = await db.query<{ id: string; timezone: string }>('SELECT id, timezone FROM shops ORDER BY id');
  return rows;
}
/** What a shop id looks like (the shops table's CHECK): anything else names no shop. */
export const SHOP_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export async function findShop(db: Queryable, shopId: string): Promise<Shop | null> {
  if (!SHOP_ID_PATTERN.test(shopId)) return null;
  const { rows } = await db.query<ShopRow>('SELECT * FROM shops WHERE id = $1', [shopId]);
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    name: r.name,
    intro: r.intro,
    timezone: r.timezone,
    card: {
      advisorName: r.advisor_name,
      advisorPhotoUrl: r.advisor_photo_url,
      advisorTitle: r.advisor_title,
      persona: r.persona,
      advisorPersona: r.advisor_persona,
      tone: r.tone,
      contact: r.contact,
    },
    settings: parseShopSettings(r.settings),
  };
}

export async function shopExists(db: Queryable, shopId: string): Promise<boolean> {
  if (!SHOP_ID_PATTERN.test(shopId)) return false;
  const { rows } = await db.query('SELECT 1 FROM shops WHERE id = $1', [shopId]);
  return rows.length > 0;
}

/** A shop's settings alone, for a tool that needs one of them (where its product pages are). */
export async function getShopSettings(db: Queryable, shopId: string): Promise<ShopSettings> {
  const { rows } = await db.query<{ settings: unknown }>('SELECT settings FROM shops WHERE id = $1', [shopId]);
  if (!rows[0]) throw new NotFound('shop');
  return parseShopSettings(rows[0].settings);
}

export async function getShop(db: Queryable, shopId: string): Promise<Shop> {
  const shop = await findShop(db, shopId);
  if (!shop) throw new NotFound('shop');
  return shop;
}

/**
 * The shop as the caller already holds it (a chat turn's card, read when the turn started: one
 * read of the shop per turn, not one more per tool that needs a setting), else read now.
 */
export function heldOrGetShop(db: Queryable, shopId: string, held: Shop | undefined): Promise<Shop> {
  return held && held.id === shopId ? Promise.resolve(held) : getShop(db, shopId);
}

/** The settings of the shop the caller holds (as heldOrGetShop), else read now. */
export function heldOrGetShopSettings(db: Queryable, shopId: string, held: Shop | undefined): Promise<ShopSettings> {
  return held && held.id === shopId ? Promise.resolve(held.settings) : getShopSettings(db, shopId);
}
