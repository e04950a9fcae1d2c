// The shop setting productPagePath (docs/domain.md §1 Shop settings, §2 Buying): where a product is
// bought in the mall's mini-program, and how a product's page is made from it.
import { describe, expect, it } from 'vitest';
import { parseShopSettings, productPage, shopSettingsSchema } from '../../src/domain/shops/settings.ts';

describe('the product page path of a shop', () => {
  it('defaults to the mall’s goods detail page', () => {
    expect(parseShopSettings({}).productPagePath).toBe('/pages/goods/detail?id={productId}');
    expect(productPage(parseShopSettings({}), 42)).toBe('/pages/goods/detail?id=42');
  });

  it('takes a shop’s own page and fills in every {productId}', () => {
    const settings = parseShopSettings({ productPagePath: '/pkgMall/item/index?sku={productId}&from=card&ref={productId}' });
    expect(productPage(settings, 7)).toBe('/pkgMall/item/index?sku=7&from=card&ref=7');
  });

  it.each([
    ['a web address', 'https://mall.example.com/goods?id={productId}'],
    ['a protocol-relative address', '//mall.example.com/goods?id={productId}'],
    ['a path without the leading slash', 'pages/goods/detail?id={productId}'],
    ['a path without {productId}', '/pages/goods/detail'],
    ['a path with spaces', '/pages/goods/detail?id={productId} onload'],
    ['a path with a backslash', '/\\evil.example.com/{productId}'],
    ['an empty path', ''],
  ])('refuses %s', (_, productPagePath) => {
    const parsed = shopSettingsSchema.safeParse({ productPagePath });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['productPagePath']);
  });

  it('refuses a path longer than 256 characters', () => {
    expect(shopSettingsSchema.safeParse({ productPagePath: `/p?id={productId}&x=${'a'.repeat(256)}` }).success).toBe(false);
  });
});
