/** Conversations between a buyer and the store staff: request bodies and response views (API.md "Real time"). */
import * as z from 'zod/mini';
import { pageFields } from '../http/pagination';
import { pathId } from '../http/validate';
import { freeText, maxChars } from '../lib/text';

export const MAX_MESSAGE_LENGTH = 2000;

// Free text (newlines kept, control characters refused), counted after trimming.
const messageText = freeText({ error: 'is required' }).check(
  z.trim(),
  z.minLength(1, 'must not be blank'),
  maxChars(MAX_MESSAGE_LENGTH),
);

export const OpenConversationBody = z.object({
  product_id: z
    .number({ error: 'must be an integer' })
    .check(z.int('must be an integer'), z.positive('must be a positive integer'), z.lte(Number.MAX_SAFE_INTEGER)),
  message: messageText,
});
export const PostMessageBody = z.object({ body: messageText });
export const ConversationParams = z.object({ id: pathId('Conversation id (integer)') });
export const ConversationsQuery = z.object(pageFields);
export const MessagesQuery = z.object(pageFields);

export const MessageView = z.object({
  id: z.int(),
  conversation_id: z.int(),
  sender_id: z.int(),
  sender: z.enum(['buyer', 'staff']).check(z.describe('Which side wrote it')),
  body: z.string(),
  at: z.string(),
});
export type MessageView = z.infer<typeof MessageView>;

export const ConversationView = z.object({
  id: z.int(),
  buyer_id: z.int(),
  product_id: z.nullable(z.int()),
  product: z.nullable(z.object({ id: z.int(), name: z.string(), slug: z.string() })),
  last_message: z.nullable(MessageView),
  unread_count: z.int().check(z.describe('Messages from the other side the caller has not read yet')),
  last_message_at: z.string(),
  created_at: z.string(),
});
export type ConversationView = z.infer<typeof ConversationView>;

/** A row as the conversation queries select it (snake_case, straight from D1). */
export interface ConversationRow {
  id: number;
  buyer_id: number;
  product_id: number | null;
  product_name: string | null;
  product_slug: string | null;
  last_message: string | null;
  unread_count: number;
  last_message_at: string;
  created_at: string;
}

export interface MessageRow {
  id: number;
  conversation_id: number;
  sender_id: number;
  body: string;
  created_at: string;
}

export const messageView = (m: MessageRow, buyerId: number): MessageView => ({
  id: m.id,
  conversation_id: m.conversation_id,
  sender_id: m.sender_id,
  sender: m.sender_id === buyerId ? 'buyer' : 'staff',
  body: m.body,
  at: m.created_at,
});

export function conversationView(r: ConversationRow): ConversationView {
  const last = r.last_message ? (JSON.parse(r.last_message) as MessageRow) : null;
  return {
    id: r.id,
    buyer_id: r.buyer_id,
    product_id: r.product_id,
    product: r.product_id !== null && r.product_name !== null ? { id: r.product_id, name: r.product_name, slug: r.product_slug ?? '' } : null,
    last_message: last ? messageView(last, r.buyer_id) : null,
    unread_count: r.unread_count,
    last_message_at: r.last_message_at,
    created_at: r.created_at,
  };
}
