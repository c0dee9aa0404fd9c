/**
 * The whole D1 schema. Every table the product needs is declared here so later features add behaviour, not
 * schema churn. Timestamps are ISO 8601 UTC strings (they sort lexicographically); money is integer cents.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
const createdAt = () => text('created_at').notNull().default(now);
const updatedAt = () => text('updated_at').notNull().default(now);

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    firstName: text('first_name').notNull().default(''),
    lastName: text('last_name').notNull().default(''),
    phone: text('phone').notNull().default(''),
    role: text('role', { enum: ['customer', 'admin'] }).notNull().default('customer'),
    isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
    dateJoined: text('date_joined').notNull().default(now),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_email_uq').on(t.email),
    index('users_role_idx').on(t.role, t.id),
    // Admin stats: customers who joined in the last 30 days.
    index('users_role_joined_idx').on(t.role, t.dateJoined),
    check('users_role_ck', sql`${t.role} IN ('customer', 'admin')`),
  ],
);

export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    // SHA-256 of the opaque token: the token itself is never stored.
    tokenHash: text('token_hash').notNull(),
    // All tokens descending from one login share a family; reuse of a rotated token revokes the family.
    familyId: text('family_id').notNull(),
    expiresAt: text('expires_at').notNull(),
    rotatedAt: text('rotated_at'),
    revokedAt: text('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('refresh_tokens_hash_uq').on(t.tokenHash),
    index('refresh_tokens_family_idx').on(t.familyId),
    index('refresh_tokens_user_idx').on(t.userId),
  ],
);

/**
 * Failed-login counters, keyed by hashes so the table names no email or address: one row per email hash
 * (`e:`, failures slow that email's logins down) and one per (email, client address) pair (`p:`, failures
 * lock that pair). Rows exist whether or not the email has an account, so the counters reveal nothing.
 */
export const loginFailures = sqliteTable(
  'login_failures',
  {
    key: text('key').primaryKey(),
    emailHash: text('email_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    windowStartedAt: text('window_started_at').notNull(),
  },
  (t) => [index('login_failures_email_idx').on(t.emailHash)],
);

/**
 * Admin console sessions (the browser back office). The cookie carries a random token; only its SHA-256 is
 * stored here. Each session has its own CSRF token, echoed in every form of the console. Expiry is absolute:
 * a session never outlives `expires_at`, and logout deletes the row.
 */
export const consoleSessions = sqliteTable(
  'console_sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tokenHash: text('token_hash').notNull(),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    expiresAt: text('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('console_sessions_token_uq').on(t.tokenHash),
    index('console_sessions_user_idx').on(t.userId),
    index('console_sessions_expires_idx').on(t.expiresAt),
  ],
);

export const passwordResetTokens = sqliteTable(
  'password_reset_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('password_reset_tokens_hash_uq').on(t.tokenHash), index('password_reset_tokens_user_idx').on(t.userId)],
);

export const categories = sqliteTable(
  'categories',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    description: text('description').notNull().default(''),
    // Bumped by every admin write: with the row it makes the ETag that If-Match is checked against.
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('categories_name_uq').on(t.name), uniqueIndex('categories_slug_uq').on(t.slug)],
);

export const products = sqliteTable(
  'products',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    sku: text('sku').notNull(),
    description: text('description').notNull().default(''),
    priceCents: integer('price_cents').notNull(),
    currency: text('currency').notNull().default('usd'),
    stock: integer('stock').notNull().default(0),
    categoryId: integer('category_id').references(() => categories.id, { onDelete: 'set null' }),
    isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
    // Rating aggregates, written in the same batch as every review change.
    ratingCount: integer('rating_count').notNull().default(0),
    ratingSum: integer('rating_sum').notNull().default(0),
    ratingAvg: real('rating_avg').notNull().default(0),
    // Bumped by every admin write; the ETag is version + stock, so checkouts and cancellations change it too.
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('products_slug_uq').on(t.slug),
    uniqueIndex('products_sku_uq').on(t.sku),
    // The default ordering (-created_at, -id) and each ordering of the public list, active rows first.
    index('products_active_created_idx').on(t.isActive, t.createdAt, t.id),
    index('products_active_price_idx').on(t.isActive, t.priceCents, t.id),
    index('products_active_name_idx').on(t.isActive, t.name, t.id),
    index('products_active_rating_idx').on(t.isActive, t.ratingAvg, t.id),
    index('products_category_idx').on(t.categoryId, t.isActive, t.createdAt, t.id),
    // The admin list (inactive included) in its default ordering.
    index('products_created_idx').on(t.createdAt, t.id),
    index('products_stock_idx').on(t.stock),
    // Admin stats: active products low on stock, lowest first.
    index('products_active_stock_idx').on(t.isActive, t.stock, t.id),
    // Stock can never go below zero: a checkout batch that would oversell fails as a whole.
    check('stock_nonneg', sql`${t.stock} >= 0`),
    check('price_nonneg', sql`${t.priceCents} >= 0`),
  ],
);

export const productImages = sqliteTable(
  'product_images',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    productId: integer('product_id').notNull().references(() => products.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    alt: text('alt').notNull().default(''),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('product_images_key_uq').on(t.key), index('product_images_product_idx').on(t.productId, t.position, t.id)],
);

export const reviews = sqliteTable(
  'reviews',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    productId: integer('product_id').notNull().references(() => products.id, { onDelete: 'cascade' }),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    rating: integer('rating').notNull(),
    comment: text('comment').notNull().default(''),
    verifiedPurchase: integer('verified_purchase', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('reviews_product_user_uq').on(t.productId, t.userId),
    index('reviews_product_created_idx').on(t.productId, t.createdAt, t.id),
    check('reviews_rating_ck', sql`${t.rating} BETWEEN 1 AND 5`),
  ],
);

export const ORDER_STATUSES = ['pending', 'confirmed', 'shipped', 'delivered', 'cancelled'] as const;
export const PAYMENT_STATUSES = ['unpaid', 'paid', 'refunded'] as const;
export const PAYMENT_METHODS = ['cod', 'card'] as const;

export const orders = sqliteTable(
  'orders',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    number: text('number').notNull(),
    userId: integer('user_id').notNull().references(() => users.id),
    status: text('status', { enum: ORDER_STATUSES }).notNull().default('pending'),
    paymentMethod: text('payment_method', { enum: PAYMENT_METHODS }).notNull(),
    paymentStatus: text('payment_status', { enum: PAYMENT_STATUSES }).notNull().default('unpaid'),
    currency: text('currency').notNull().default('usd'),
    subtotalCents: integer('subtotal_cents').notNull(),
    shippingCents: integer('shipping_cents').notNull().default(0),
    totalCents: integer('total_cents').notNull(),
    // JSON text of the validated shipping address.
    shippingAddress: text('shipping_address').notNull(),
    note: text('note').notNull().default(''),
    // The order's one open Stripe Checkout Session (card orders): reused by a repeated /pay/ until it expires.
    stripeSessionId: text('stripe_session_id'),
    stripeSessionUrl: text('stripe_session_url'),
    // Planned before Stripe is called, so a retried /pay/ sends the same parameters under the same idempotency key.
    stripeSessionExpiresAt: text('stripe_session_expires_at'),
    stripePaymentIntentId: text('stripe_payment_intent_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('orders_number_uq').on(t.number),
    index('orders_user_created_idx').on(t.userId, t.createdAt, t.id),
    index('orders_status_created_idx').on(t.status, t.createdAt, t.id),
    index('orders_created_idx').on(t.createdAt, t.id),
    index('orders_stripe_session_idx').on(t.stripeSessionId),
    index('orders_stripe_payment_intent_idx').on(t.stripePaymentIntentId),
    // Admin stats: revenue per day of the last 30 days read from the index alone (no table lookups).
    index('orders_revenue_idx').on(t.createdAt, t.status, t.paymentMethod, t.paymentStatus, t.totalCents),
    check('orders_status_ck', sql`${t.status} IN ('pending', 'confirmed', 'shipped', 'delivered', 'cancelled')`),
    check('orders_payment_status_ck', sql`${t.paymentStatus} IN ('unpaid', 'paid', 'refunded')`),
    check('orders_payment_method_ck', sql`${t.paymentMethod} IN ('cod', 'card')`),
    check('orders_totals_ck', sql`${t.subtotalCents} >= 0 AND ${t.totalCents} >= 0`),
  ],
);

export const orderItems = sqliteTable(
  'order_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orderId: integer('order_id').notNull().references(() => orders.id, { onDelete: 'cascade' }),
    // Products that appear in orders are archived, never deleted, so this stays valid.
    productId: integer('product_id').notNull().references(() => products.id),
    // Snapshots taken at checkout: later catalog edits do not change past orders.
    productName: text('product_name').notNull(),
    sku: text('sku').notNull(),
    unitPriceCents: integer('unit_price_cents').notNull(),
    quantity: integer('quantity').notNull(),
    subtotalCents: integer('subtotal_cents').notNull(),
  },
  (t) => [
    index('order_items_order_idx').on(t.orderId),
    index('order_items_product_idx').on(t.productId),
    check('order_items_quantity_ck', sql`${t.quantity} > 0`),
  ],
);

export const orderStatusHistory = sqliteTable(
  'order_status_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orderId: integer('order_id').notNull().references(() => orders.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ORDER_STATUSES }).notNull(),
    // Who made the change: a user id, or null with actor 'system' / 'stripe'.
    byUserId: integer('by_user_id').references(() => users.id, { onDelete: 'set null' }),
    actor: text('actor').notNull().default('customer'),
    at: text('at').notNull().default(now),
  },
  (t) => [index('order_status_history_order_idx').on(t.orderId, t.id)],
);

export const idempotencyRecords = sqliteTable(
  'idempotency_records',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    // SHA-256 of the canonical request body: the same key with another body is refused.
    fingerprint: text('fingerprint').notNull(),
    orderId: integer('order_id').references(() => orders.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [uniqueIndex('idempotency_user_key_uq').on(t.userId, t.key), index('idempotency_expires_idx').on(t.expiresAt)],
);

/**
 * Stripe events (and the sweep's synthetic ones) that took effect. The row is inserted in the SAME batch as the
 * event's effect: a replay or a concurrent duplicate fails on the primary key and its batch changes nothing.
 */
export const processedWebhookEvents = sqliteTable('processed_webhook_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  processedAt: text('processed_at').notNull().default(now),
});

/**
 * Emails sent (or being sent) by the queue consumer, by the dedupe key of their message: a message delivered
 * twice, or retried after the provider accepted it, is not sent again.
 */
export const emailDeliveries = sqliteTable('email_deliveries', {
  dedupeKey: text('dedupe_key').primaryKey(),
  claimedAt: text('claimed_at').notNull(),
  sentAt: text('sent_at'),
});

export const conversations = sqliteTable(
  'conversations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    buyerId: integer('buyer_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    productId: integer('product_id').references(() => products.id, { onDelete: 'set null' }),
    lastMessageAt: text('last_message_at').notNull().default(now),
    // Read markers of each side, for unread counts.
    buyerLastReadId: integer('buyer_last_read_id').notNull().default(0),
    staffLastReadId: integer('staff_last_read_id').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('conversations_buyer_product_uq').on(t.buyerId, t.productId),
    index('conversations_last_message_idx').on(t.lastMessageAt, t.id),
    index('conversations_buyer_last_idx').on(t.buyerId, t.lastMessageAt),
  ],
);

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
    senderId: integer('sender_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('messages_conversation_idx').on(t.conversationId, t.id)],
);

export type UserRow = typeof users.$inferSelect;
export type ProductRow = typeof products.$inferSelect;
export type CategoryRow = typeof categories.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;
