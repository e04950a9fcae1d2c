// New-product previews matched to the profile (docs/domain.md §8 Reminders): products
// launched in the last N days whose vector is close enough (cosine) to the shopper's profile
// vector. Only vectors of the same embedder and dimension are compared; a shopper who already
// bought the product is not told about it; the closest product wins.
import { eligibleShopper, validOrder, type Occasion } from '../occasion.ts';

export const newProduct: Occasion = {
  name: 'newProduct',
  candidates(day, bind) {
    const { launchedWithinDays, minSimilarity } = day.settings.occasions.newProduct;
    return `WITH launched AS (
        SELECT p.id, p.name, p.price_fen, e.embedder, e.dim, e.embedding
          FROM products p JOIN product_embeddings e ON e.product_id = p.id
         WHERE p.shop_id = $1 AND p.status = 'on_sale' AND p.launched_at < $3::timestamptz
           AND p.launched_at >= $3::timestamptz - make_interval(days => ${bind(launchedWithinDays)}::int)
      ), scored AS (
        SELECT pe.shopper_id, l.id AS product_id, l.name, l.price_fen,
               (pe.embedding <=> l.embedding)::float8 AS distance
          FROM launched l
          JOIN shopper_profile_embeddings pe ON pe.shop_id = $1 AND pe.embedder = l.embedder AND pe.dim = l.dim
      )
      SELECT sc.shopper_id, sc.product_id::text AS occurrence_key,
          jsonb_build_object('productId', sc.product_id, 'productName', sc.name, 'priceFen', sc.price_fen,
            'similarity', round((1 - sc.distance)::numeric, 3)) AS facts,
          sc.distance AS pick
        FROM scored sc
        JOIN shoppers s ON s.shop_id = $1 AND s.id = sc.shopper_id
       WHERE 1 - sc.distance >= ${bind(minSimilarity)}::float8 AND ${eligibleShopper('s')}
         AND NOT EXISTS (
           SELECT 1 FROM orders o JOIN order_items i ON i.order_id = o.id
            WHERE o.shop_id = $1 AND o.shopper_id = sc.shopper_id AND i.product_id = sc.product_id AND ${validOrder('o')})`;
  },
};
