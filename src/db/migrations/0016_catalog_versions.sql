-- A number per shop that changes whenever the words its search can match may have changed: a product
-- inserted or deleted, or its search_terms, status or shop changed (stock and price change no word).
-- Search keeps each shop's set of words in memory (src/domain/catalog/catalogTerms.ts) and skips the
-- word-match statement for a query that shares no word with it; the nearest-neighbour statement reads
-- this number beside its hits, so a product indexed by another replica is matched by its words from
-- the next search on. A shop without a row is at 0. The numbers come from one sequence, so a shop
-- deleted and created again (the demo's reset) never repeats one an old copy of its words was read at.
CREATE SEQUENCE catalog_version_seq;
CREATE TABLE catalog_versions (
  shop_id text PRIMARY KEY REFERENCES shops(id) ON DELETE CASCADE,
  version bigint NOT NULL
);

-- Per statement, over the transition tables: a load of 100k products renumbers its shop once, not
-- 100k times. Shops in id order, so two writers of several shops lock their rows in the same order;
-- a shop being deleted (its products go by cascade) gets no row. TRUNCATE has no transition table:
-- every shop gets a new number.
CREATE FUNCTION bump_catalog_versions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    UPDATE catalog_versions SET version = nextval('catalog_version_seq');
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO catalog_versions (shop_id, version)
    SELECT id, nextval('catalog_version_seq')
      FROM (SELECT DISTINCT p.shop_id AS id FROM new_products p JOIN shops ON shops.id = p.shop_id ORDER BY 1) AS s
    ON CONFLICT (shop_id) DO UPDATE SET version = EXCLUDED.version;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO catalog_versions (shop_id, version)
    SELECT id, nextval('catalog_version_seq')
      FROM (SELECT DISTINCT p.shop_id AS id FROM old_products p JOIN shops ON shops.id = p.shop_id ORDER BY 1) AS s
    ON CONFLICT (shop_id) DO UPDATE SET version = EXCLUDED.version;
  ELSE
    INSERT INTO catalog_versions (shop_id, version)
    SELECT id, nextval('catalog_version_seq')
      FROM (SELECT DISTINCT x.shop_id AS id
              FROM new_products n JOIN old_products o ON o.id = n.id
             CROSS JOIN LATERAL (VALUES (n.shop_id), (o.shop_id)) AS x(shop_id)
              JOIN shops ON shops.id = x.shop_id
             WHERE n.search_terms IS DISTINCT FROM o.search_terms OR n.status IS DISTINCT FROM o.status
                OR n.shop_id IS DISTINCT FROM o.shop_id
             ORDER BY 1) AS s
    ON CONFLICT (shop_id) DO UPDATE SET version = EXCLUDED.version;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER products_catalog_version_insert AFTER INSERT ON products
  REFERENCING NEW TABLE AS new_products FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_versions();
CREATE TRIGGER products_catalog_version_update AFTER UPDATE ON products
  REFERENCING OLD TABLE AS old_products NEW TABLE AS new_products FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_versions();
CREATE TRIGGER products_catalog_version_delete AFTER DELETE ON products
  REFERENCING OLD TABLE AS old_products FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_versions();
CREATE TRIGGER products_catalog_version_truncate AFTER TRUNCATE ON products
  FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_versions();
