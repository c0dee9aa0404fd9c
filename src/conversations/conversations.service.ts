/**
 * Conversation rules. A conversation belongs to one buyer and one product; its other side is the store staff
 * (every admin, by the role the account has now). Anyone else is told it does not exist (404, never 403).
 * Every operation is ONE D1 batch whose statements carry the participant check themselves, so a stranger's
 * request reads and writes nothing. Messages are written to D1 first; pushing them to sockets is the route's
 * follow-up after the batch has committed.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { notFound } from '../errors';
import { limitOffset, type PageRequest } from '../http/pagination';
import { nowIso } from '../lib/crypto';
import { writeBatch } from '../orders/d1-batch';
import type { ConversationRow, MessageRow } from './conversations.schemas';

export interface Caller {
  id: number;
  /** The caller is staff (an admin now): every conversation is theirs to read and answer. */
  staff: boolean;
}

/** The participant check on an unaliased `conversations` row. */
const mayAccess = (me: Caller): SQL => (me.staff ? sql`1 = 1` : sql`buyer_id = ${me.id}`);

/** A conversation as listed: product, last message, and the caller's unread count (the other side's messages after the caller's read marker). */
const selectConversation = (me: Caller) => sql`SELECT c.id, c.buyer_id, c.product_id, p.name AS product_name, p.slug AS product_slug,
    c.last_message_at, c.created_at,
    (SELECT json_object('id', m.id, 'conversation_id', m.conversation_id, 'sender_id', m.sender_id, 'body', m.body, 'created_at', m.created_at)
       FROM messages AS m WHERE m.conversation_id = c.id ORDER BY m.id DESC LIMIT 1) AS last_message,
    (SELECT COUNT(*) FROM messages AS m WHERE m.conversation_id = c.id AND CASE WHEN c.buyer_id = ${me.id}
        THEN m.id > c.buyer_last_read_id AND m.sender_id <> c.buyer_id
        ELSE m.id > c.staff_last_read_id AND m.sender_id = c.buyer_id END) AS unread_count
  FROM conversations AS c LEFT JOIN products AS p ON p.id = c.product_id`;

const MESSAGE_COLUMNS = sql`id, conversation_id, sender_id, body, created_at`;

const rows = <T>(r: D1Result) => r.results as T[];

/**
 * Opens the caller's conversation about an active product (or reuses the existing one for this buyer and
 * product) and posts its first message: one batch. Unknown or inactive product: 404.
 */
export async function openConversation(db: Db, me: Caller, productId: number, body: string): Promise<{ conversation: ConversationRow; message: MessageRow }> {
  const now = nowIso();
  const activeProduct = sql`EXISTS (SELECT 1 FROM products WHERE id = ${productId} AND is_active = 1)`;
  const [, inserted, selected] = await writeBatch(db, [
    sql`INSERT INTO conversations (buyer_id, product_id, last_message_at, created_at)
      SELECT ${me.id}, ${productId}, ${now}, ${now} WHERE ${activeProduct}
      ON CONFLICT (buyer_id, product_id) DO UPDATE SET last_message_at = excluded.last_message_at`,
    sql`INSERT INTO messages (conversation_id, sender_id, body, created_at)
      SELECT id, ${me.id}, ${body}, ${now} FROM conversations WHERE buyer_id = ${me.id} AND product_id = ${productId} AND ${activeProduct}
      RETURNING ${MESSAGE_COLUMNS}`,
    sql`${selectConversation(me)} WHERE c.buyer_id = ${me.id} AND c.product_id = ${productId}`,
  ]);
  const message = rows<MessageRow>(inserted)[0];
  const conversation = rows<ConversationRow>(selected)[0];
  if (!message || !conversation) throw notFound('Product');
  return { conversation, message };
}

/** The caller's conversations (staff: all), latest activity first, with the total: one batch. */
export async function listConversations(db: Db, me: Caller, page: PageRequest): Promise<{ count: number; rows: ConversationRow[] }> {
  const { limit, offset } = limitOffset(page);
  const where = me.staff ? sql`` : sql`WHERE c.buyer_id = ${me.id}`;
  const [total, list] = await writeBatch(db, [
    sql`SELECT COUNT(*) AS n FROM conversations AS c ${where}`,
    sql`${selectConversation(me)} ${where} ORDER BY c.last_message_at DESC, c.id DESC LIMIT ${limit} OFFSET ${offset}`,
  ]);
  return { count: rows<{ n: number }>(total)[0].n, rows: rows<ConversationRow>(list) };
}

/**
 * A page of a conversation's messages, oldest first, and the caller's read marker moved past that page (the
 * caller has now read it): one batch. Not a participant: 404.
 */
export async function readMessages(db: Db, me: Caller, id: number, page: PageRequest): Promise<{ buyerId: number; count: number; rows: MessageRow[] }> {
  const { limit, offset } = limitOffset(page);
  const allowed = sql`EXISTS (SELECT 1 FROM conversations WHERE id = ${id} AND ${mayAccess(me)})`;
  const pageEnd = sql`COALESCE((SELECT MAX(id) FROM (SELECT id FROM messages WHERE conversation_id = ${id} ORDER BY id LIMIT ${limit} OFFSET ${offset})), 0)`;
  const [conversation, total, list] = await writeBatch(db, [
    sql`SELECT id, buyer_id FROM conversations WHERE id = ${id} AND ${mayAccess(me)}`,
    sql`SELECT COUNT(*) AS n FROM messages WHERE conversation_id = ${id} AND ${allowed}`,
    sql`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ${id} AND ${allowed} ORDER BY id LIMIT ${limit} OFFSET ${offset}`,
    sql`UPDATE conversations SET
        buyer_last_read_id = CASE WHEN buyer_id = ${me.id} THEN MAX(buyer_last_read_id, ${pageEnd}) ELSE buyer_last_read_id END,
        staff_last_read_id = CASE WHEN buyer_id <> ${me.id} THEN MAX(staff_last_read_id, ${pageEnd}) ELSE staff_last_read_id END
      WHERE id = ${id} AND ${mayAccess(me)}`,
  ]);
  const conv = rows<{ id: number; buyer_id: number }>(conversation)[0];
  if (!conv) throw notFound('Conversation');
  return { buyerId: conv.buyer_id, count: rows<{ n: number }>(total)[0].n, rows: rows<MessageRow>(list) };
}

/** Stores a message (and the conversation's activity time) in one batch. Not a participant: 404. */
export async function postMessage(db: Db, me: Caller, id: number, body: string): Promise<{ buyerId: number; message: MessageRow }> {
  const now = nowIso();
  const [inserted, , conversation] = await writeBatch(db, [
    sql`INSERT INTO messages (conversation_id, sender_id, body, created_at)
      SELECT id, ${me.id}, ${body}, ${now} FROM conversations WHERE id = ${id} AND ${mayAccess(me)} RETURNING ${MESSAGE_COLUMNS}`,
    sql`UPDATE conversations SET last_message_at = ${now} WHERE id = ${id} AND ${mayAccess(me)}`,
    sql`SELECT buyer_id FROM conversations WHERE id = ${id} AND ${mayAccess(me)}`,
  ]);
  const message = rows<MessageRow>(inserted)[0];
  const conv = rows<{ buyer_id: number }>(conversation)[0];
  if (!message || !conv) throw notFound('Conversation');
  return { buyerId: conv.buyer_id, message };
}

/** The conversation if the caller takes part in it (for the socket upgrade); 404 otherwise. */
export async function assertParticipant(db: Db, me: Caller, id: number): Promise<void> {
  const [found] = await writeBatch(db, [sql`SELECT id FROM conversations WHERE id = ${id} AND ${mayAccess(me)}`]);
  if (!found.results.length) throw notFound('Conversation');
}
