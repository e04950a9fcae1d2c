-- A number per shop that grows whenever the words its search can match may have changed: a product
-- inserted or deleted, or its search_terms, status or shop changed. Search keeps each shop's set of
-- words in memory (src/domain/catalog/catalogTerms.ts) and skips the word-match statement for a query
-- that shares no word with it; the nearest-neighbour statement reads this number beside its hits, so
-- a product indexed by another replica is matched by its words from the next search on. A shop
-- without a row is at version 0. Stock and price changes do not count: they change no word.
CREATE TABLE catalog_versions (
  shop_id text PRIMARY KEY,
  version bigint NOT NULL
);

-- Per statement, over the transition tables (TRUNCATE has none: every shop's version grows): a load of 100k products bumps its shop once, not 100k
-- times. Shops in id order, so two writers of several shops take their rows in the same order.
CREATE FUNCTION bump_catalog_versions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO catalog_versions (shop_id, version)
    SELECT DISTINCT shop_id, 1 FROM new_products ORDER BY shop_id
    ON CONFLICT (shop_id) DO UPDATE SET version = catalog_versions.version + 1;
  ELSIF TG_OP = 'TRUNCATE' THEN
    UPDATE catalog_versions SET version = version + 1;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO catalog_versions (shop_id, version)
    SELECT DISTINCT shop_id, 1 FROM old_products ORDER BY shop_id
    ON CONFLICT (shop_id) DO UPDATE SET version = catalog_versions.version + 1;
  ELSE
    INSERT INTO catalog_versions (shop_id, version)
    SELECT shop_id, 1 FROM (
      SELECT n.shop_id FROM new_products n JOIN old_products o ON o.id = n.id
       WHERE n.search_terms IS DISTINCT FROM o.search_terms OR n.status IS DISTINCT FROM o.status
          OR n.shop_id IS DISTINCT FROM o.shop_id
      UNION
      SELECT o.shop_id FROM new_products n JOIN old_products o ON o.id = n.id
       WHERE n.search_terms IS DISTINCT FROM o.search_terms OR n.status IS DISTINCT FROM o.status
          OR n.shop_id IS DISTINCT FROM o.shop_id
    ) AS changed ORDER BY shop_id
    ON CONFLICT (shop_id) DO UPDATE SET version = catalog_versions.version + 1;
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
