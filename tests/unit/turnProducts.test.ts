// The products a turn returns with its reply (docs/domain.md §2 Buying): the ones the reply names,
// each with its page in the mall, read from what the product tools returned.
import { describe, expect, it } from 'vitest';
import { MAX_TURN_PRODUCTS, turnProducts } from '../../src/agent/turnProducts.ts';
import type { StoredToolCall } from '../../src/domain/conversations/repo.ts';

const hit = (id: number, name: string) => ({ id, name, brand: 'b', category: '面霜', price: `¥${id}.00`, inStock: true, page: `/pages/goods/detail?id=${id}` });
const search = (...products: object[]): StoredToolCall => ({ id: 's', name: 'searchProducts', input: {}, output: { products } });
const detail = (p: object): StoredToolCall => ({ id: 'd', name: 'getProduct', input: {}, output: p });
const card = (id: number, name: string) => ({ id, name, price: `¥${id}.00`, page: `/pages/goods/detail?id=${id}` });

describe('the products a turn is about', () => {
  it('gives the products the reply names, in the order it names them, with their pages', () => {
    const calls = [search(hit(11, '悦颜 玻尿酸保湿面霜'), hit(12, '雪棠 神经酰胺修护霜'), hit(13, '花间集 清爽控油乳霜'))];
    const reply = '1. 雪棠 神经酰胺修护霜 ¥159\n2. 悦颜玻尿酸保湿面霜 ¥129';
    expect(turnProducts(reply, calls)).toEqual([card(12, '雪棠 神经酰胺修护霜'), card(11, '悦颜 玻尿酸保湿面霜')]);
  });

  it('gives every product shown when the reply names none of them, at most five', () => {
    const hits = [1, 2, 3, 4, 5, 6, 7].map((i) => hit(i, `商品${i}号`));
    const out = turnProducts('这几款都不错', [search(...hits)]);
    expect(out.map((p) => p.id)).toEqual([1, 2, 3, 4, 5]);
    expect(out).toHaveLength(MAX_TURN_PRODUCTS);
  });

  it('puts the product looked up first and gives each product once', () => {
    const calls = [search(hit(11, '悦颜面霜'), hit(12, '雪棠面霜')), detail({ ...hit(12, '雪棠面霜'), onSale: true, stock: 3 })];
    expect(turnProducts('好的', calls).map((p) => p.id)).toEqual([12, 11]);
  });

  it('leaves out a product taken off sale, a failed tool and the tools that show no product to buy', () => {
    const calls: StoredToolCall[] = [
      detail({ ...hit(12, '雪棠面霜'), onSale: false }),
      { id: 'e', name: 'getProduct', input: {}, output: { error: { code: 'not_found', message: 'x' } } },
      { id: 'o', name: 'listOrders', input: {}, output: { orders: [{ products: [{ productId: 9, name: '洗衣液', category: '洗衣液', quantity: 1, page: '/p?id=9' }] }] } },
    ];
    expect(turnProducts('雪棠面霜下架了；洗衣液', calls)).toEqual([]);
  });
});
