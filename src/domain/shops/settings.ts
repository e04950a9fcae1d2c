// The numbers a shop can configure (docs/domain.md §1 S2B2C shop: every number is a default, never a
// constant buried in code). Stored in shops.settings as JSON; missing keys take these defaults.
import { z } from 'zod';

/** What productPagePath says where the product's id goes. */
const PRODUCT_ID = '{productId}';

export const shopSettingsSchema = z.object({
  /** After-sales window after delivery, and the reward settlement delay (docs/domain.md §7 After-sales). */
  returnWindowDays: z.number().int().min(0).max(90).default(7),
  /** The supplier's shipping promise (S2B2C trust, docs/domain.md §1 S2B2C shop). */
  shippingPromiseHours: z.number().int().min(1).max(720).default(48),
  /** Shop average order value in fen, the reference for potential scoring (case: 65 yuan). */
  averageOrderFen: z.number().int().min(0).default(6500),
  /** Monthly exclusive discount day for potential shoppers (case: the 15th). */
  discountDay: z.number().int().min(1).max(28).default(15),
  /** Service hours for human staff, local time of the shop's timezone. */
  serviceHours: z
    .object({ start: z.string().regex(/^\d{2}:\d{2}$/), end: z.string().regex(/^\d{2}:\d{2}$/) })
    .default({ start: '09:00', end: '22:00' }),
  /** Refunds above this amount go to a person (fen). */
  handoffRefundThresholdFen: z.number().int().min(0).default(50_000),
  /**
   * Where a product is bought in the mall: a page of the shop's mini-program, `{productId}` standing
   * for the product's id (docs/domain.md §2 Card: the card cannot take orders, it opens this page).
   * A path inside the mini-program (wx.miniProgram.navigateTo), never a web address: a leading `//`
   * would be read as one.
   */
  productPagePath: z
    .string()
    .max(256)
    .regex(/^\/(?!\/)[^\s\\]*$/, 'must be a mini-program path starting with / (not a URL)')
    .refine((p) => p.includes(PRODUCT_ID), `must contain ${PRODUCT_ID}`)
    .default(`/pages/goods/detail?id=${PRODUCT_ID}`),
});

export type ShopSettings = z.infer<typeof shopSettingsSchema>;

export function parseShopSettings(raw: unknown): ShopSettings {
  return shopSettingsSchema.parse(raw ?? {});
}

/** The mall's page of one product: the shop's productPagePath with the id filled in. */
export function productPage(settings: Pick<ShopSettings, 'productPagePath'>, productId: number): string {
  return settings.productPagePath.replaceAll(PRODUCT_ID, String(productId));
}
