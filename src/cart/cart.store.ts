/**
 * The cart Durable Object's own SQLite storage: the cart lines and the remembered idempotency keys. Every
 * function here is synchronous (`ctx.storage.sql` is), so a read-modify-write built from them cannot be
 * interleaved with another request of the same object.
 */
export interface StoredLine {
  id: number;
  productId: number;
  quantity: number;
  /** Product name when added: lets the cart say which line it dropped after the product was deleted. */
  name: string;
}

export interface RememberedKey {
  fingerprint: string;
  orderId: number;
}

/** Creates the tables on first use (idempotent; runs in the constructor before any request is delivered). */
export function migrateCartStore(sql: SqlStorage): void {
  // AUTOINCREMENT: a removed line's id is never reused, so a stale client cannot change a different line.
  sql.exec(`CREATE TABLE IF NOT EXISTS cart_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id INTEGER NOT NULL UNIQUE,
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 100),
    name TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL
  )`);
  sql.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    order_id INTEGER NOT NULL,
    expires_at TEXT NOT NULL
  )`);
}

type LineRow = { id: number; product_id: number; quantity: number; name: string };
const toLine = (r: LineRow): StoredLine => ({ id: r.id, productId: r.product_id, quantity: r.quantity, name: r.name });

export function listLines(sql: SqlStorage): StoredLine[] {
  return sql.exec<LineRow>('SELECT id, product_id, quantity, name FROM cart_lines ORDER BY id').toArray().map(toLine);
}

export function countLines(sql: SqlStorage): number {
  return sql.exec<{ n: number }>('SELECT count(*) AS n FROM cart_lines').one().n;
}

export function lineById(sql: SqlStorage, id: number): StoredLine | undefined {
  const rows = sql.exec<LineRow>('SELECT id, product_id, quantity, name FROM cart_lines WHERE id = ?', id).toArray();
  return rows[0] && toLine(rows[0]);
}

export function lineByProduct(sql: SqlStorage, productId: number): StoredLine | undefined {
  const rows = sql.exec<LineRow>('SELECT id, product_id, quantity, name FROM cart_lines WHERE product_id = ?', productId).toArray();
  return rows[0] && toLine(rows[0]);
}

export function insertLine(sql: SqlStorage, productId: number, quantity: number, name: string): StoredLine {
  const row = sql
    .exec<LineRow>(
      'INSERT INTO cart_lines (product_id, quantity, name, added_at) VALUES (?, ?, ?, ?) RETURNING id, product_id, quantity, name',
      productId, quantity, name, new Date().toISOString(),
    )
    .one();
  return toLine(row);
}

export function setLineQuantity(sql: SqlStorage, id: number, quantity: number, name: string): void {
  sql.exec('UPDATE cart_lines SET quantity = ?, name = ? WHERE id = ?', quantity, name, id);
}

/** Deletes one line; false when there was none. */
export function deleteLine(sql: SqlStorage, id: number): boolean {
  return sql.exec('DELETE FROM cart_lines WHERE id = ?', id).rowsWritten > 0;
}

export function deleteLines(sql: SqlStorage, ids: readonly number[]): void {
  for (const id of ids) sql.exec('DELETE FROM cart_lines WHERE id = ?', id);
}

export function clearLines(sql: SqlStorage): void {
  sql.exec('DELETE FROM cart_lines');
}

/** A key remembered for this user and not yet expired. */
export function findKey(sql: SqlStorage, key: string, nowIso: string): RememberedKey | undefined {
  const rows = sql
    .exec<{ fingerprint: string; order_id: number }>('SELECT fingerprint, order_id FROM idempotency_keys WHERE key = ? AND expires_at > ?', key, nowIso)
    .toArray();
  return rows[0] && { fingerprint: rows[0].fingerprint, orderId: rows[0].order_id };
}

export function rememberKey(sql: SqlStorage, key: string, fingerprint: string, orderId: number, expiresAt: string): void {
  sql.exec(
    'INSERT INTO idempotency_keys (key, fingerprint, order_id, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET fingerprint = excluded.fingerprint, order_id = excluded.order_id, expires_at = excluded.expires_at',
    key, fingerprint, orderId, expiresAt,
  );
}

/** Forgets keys older than 24 h (called on every checkout, so the table stays as small as the user's recent orders). */
export function purgeKeys(sql: SqlStorage, nowIso: string): void {
  sql.exec('DELETE FROM idempotency_keys WHERE expires_at <= ?', nowIso);
}
