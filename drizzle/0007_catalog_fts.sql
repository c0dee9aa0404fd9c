-- Full-text index of product names and descriptions for the catalog `search` filter (drizzle-kit cannot
-- generate FTS5, so this migration is written by hand; see src/catalog/product-search.ts).
-- External content: the index stores tokens only and reads the text from `products` (rowid = products.id).
-- unicode61 with remove_diacritics 2 folds case and diacritics ("CRÈME" finds "creme"); prefix='2 3' adds
-- prefix indexes so the prefix queries every search term becomes ("kett"*) stay index lookups.
CREATE VIRTUAL TABLE `products_fts` USING fts5(name, description, content='products', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3');
--> statement-breakpoint
INSERT INTO `products_fts` (rowid, name, description) SELECT id, name, description FROM `products`;
--> statement-breakpoint
-- Kept in sync by triggers, so every writer (admin API, seed script, tests) is covered. The update trigger fires
-- only when the name or description changes: stock decrements at checkout do not touch the index.
CREATE TRIGGER `products_fts_insert` AFTER INSERT ON `products` BEGIN
  INSERT INTO `products_fts` (rowid, name, description) VALUES (new.id, new.name, new.description);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_delete` AFTER DELETE ON `products` BEGIN
  INSERT INTO `products_fts` (`products_fts`, rowid, name, description) VALUES ('delete', old.id, old.name, old.description);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_update` AFTER UPDATE OF name, description ON `products` BEGIN
  INSERT INTO `products_fts` (`products_fts`, rowid, name, description) VALUES ('delete', old.id, old.name, old.description);
  INSERT INTO `products_fts` (rowid, name, description) VALUES (new.id, new.name, new.description);
END;
