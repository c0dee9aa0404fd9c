/**
 * Conversations (API.md "Real time"): a buyer asks the store staff about a product. Messages are stored in D1
 * first, then pushed to the conversation's Durable Object, which holds the participants' sockets. Participants
 * only: anyone else gets 404. The guard re-reads the caller's role on every route here (`check: 'fresh'`),
 * because the current role decides who is staff.
 */
import type { Context } from 'hono';
import type { AppEnv, Env } from '../env';
import { AppError } from '../errors';
import { currentUser } from '../http/auth';
import { pageOf, paginate } from '../http/pagination';
import { defineRoute } from '../http/route';
import { conversationObject, noteConversationSocket } from '../realtime/access';
import type { LiveMessage } from '../realtime/conversation.do';
import { connectRequest } from '../realtime/sockets';
import { assertUpgrade, connectInfoOf, SOCKET_CLOSE_CODES, socketAuthDoc, switchProtocols, tokenParam } from '../realtime/upgrade';
import * as z from 'zod/mini';
import {
  ConversationParams, ConversationsQuery, ConversationView, conversationView, MessagesQuery, MessageView, messageView, OpenConversationBody,
  PostMessageBody, type MessageRow,
} from './conversations.schemas';
import { assertParticipant, listConversations, openConversation, postMessage, readMessages, type Caller } from './conversations.service';

const API = '/api/v1';
const CONVERSATION = `${API}/conversations/:id{[0-9]+}`;

/** The period of the MESSAGE_RL binding in wrangler.toml (the binding cannot report it). */
const MESSAGE_WINDOW_SECONDS = 60;

const caller = (c: Context<AppEnv>): Caller => {
  const user = currentUser(c);
  return { id: user.id, staff: user.role === 'admin' };
};

/** Spends one message of the caller's budget: 429 with Retry-After once it is used up. */
async function spendMessageBudget(c: Context<AppEnv>): Promise<void> {
  const limiter = c.env.MESSAGE_RL;
  if (limiter && !(await limiter.limit({ key: `message:${currentUser(c).id}` })).success) {
    throw new AppError('rate_limited', 'Too many messages; wait a minute before sending more.', { headers: { 'Retry-After': String(MESSAGE_WINDOW_SECONDS) } });
  }
}

/** Pushes a committed message to the conversation's open sockets; a failed push is logged, the message stays stored. */
async function deliver(env: Env, message: MessageRow, buyerId: number): Promise<void> {
  const live: LiveMessage = { type: 'message', ...messageView(message, buyerId) };
  try {
    await conversationObject(env, message.conversation_id).deliver(live);
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', event: 'deliver_failed', conversation_id: message.conversation_id, error: err instanceof Error ? err.name : typeof err }));
  }
}

const conversationUrl = (c: Context<AppEnv>, id: number) => `${new URL(c.req.url).origin}${API}/conversations/${id}/messages/`;

export const conversationsRoutes = [
  defineRoute({
    method: 'post', path: `${API}/conversations/`, auth: 'customer', check: 'fresh', tag: 'Conversations', summary: 'Ask the staff about a product',
    description:
      'Opens a conversation between the caller (the buyer) and the store staff about an active product and posts `message` as its first ' +
      'message; a second call for the same product reuses the conversation and adds the message. Unknown or inactive product: 404. ' +
      'Messages are rate limited per user (20 a minute, then 429 with `Retry-After`).',
    request: { body: OpenConversationBody },
    responses: { 201: { description: 'The conversation, with this message as `last_message`', schema: ConversationView } },
    errors: ['not_found', 'rate_limited', 'malformed_json'],
    handler: async (c, { body }) => {
      await spendMessageBudget(c);
      const { conversation, message } = await openConversation(c.get('db'), caller(c), body.product_id, body.message);
      await deliver(c.env, message, conversation.buyer_id);
      return c.json(conversationView(conversation), 201, { Location: conversationUrl(c, conversation.id) });
    },
  }),

  defineRoute({
    method: 'get', path: `${API}/conversations/`, auth: 'customer', check: 'fresh', tag: 'Conversations', summary: 'The caller’s conversations (staff: all)',
    description: 'Latest activity first, each with its last message and the caller’s unread count (messages from the other side not read yet).',
    request: { query: ConversationsQuery },
    responses: { 200: { description: 'Page of conversations', schema: pageOf(ConversationView) } },
    handler: async (c, { query }) => {
      const { count, rows } = await listConversations(c.get('db'), caller(c), query);
      return c.json(paginate(c.req.url, query, count, rows.map(conversationView)), 200, { 'Cache-Control': 'no-store' });
    },
  }),

  defineRoute({
    method: 'get', path: `${CONVERSATION}/messages/`, auth: 'customer', check: 'fresh', tag: 'Conversations', summary: 'Messages, oldest first',
    description: 'Reading a page marks its messages read for the caller’s side. Participants only (the buyer and staff): 404 otherwise.',
    request: { params: ConversationParams, query: MessagesQuery },
    responses: { 200: { description: 'Page of messages', schema: pageOf(MessageView) } },
    errors: ['not_found'],
    handler: async (c, { params, query }) => {
      const { buyerId, count, rows } = await readMessages(c.get('db'), caller(c), params.id, query);
      return c.json(paginate(c.req.url, query, count, rows.map((m) => messageView(m, buyerId))), 200, { 'Cache-Control': 'no-store' });
    },
  }),

  defineRoute({
    method: 'post', path: `${CONVERSATION}/messages/`, auth: 'customer', check: 'fresh', tag: 'Conversations', summary: 'Post a message',
    description:
      '`body`: 1–2000 characters after trimming. Stored in D1 first, then pushed to every open socket of the conversation (the other side’s, ' +
      'and the sender’s other tabs). Participants only: 404 otherwise. Rate limited per user: 429 with `Retry-After`.',
    request: { params: ConversationParams, body: PostMessageBody },
    responses: { 201: { description: 'The message', schema: MessageView } },
    errors: ['not_found', 'rate_limited', 'malformed_json'],
    handler: async (c, { params, body }) => {
      await spendMessageBudget(c);
      const { buyerId, message } = await postMessage(c.get('db'), caller(c), params.id, body.body);
      await deliver(c.env, message, buyerId);
      return c.json(messageView(message, buyerId), 201);
    },
  }),

  defineRoute({
    method: 'get', path: `${CONVERSATION}/ws/`, auth: 'customer', check: 'fresh', socket: true, tag: 'Conversations',
    summary: 'Live messages of a conversation (WebSocket)',
    description:
      `${socketAuthDoc} Participants only (404 otherwise). Every message posted after the socket opened arrives as ` +
      '`{ "type": "message", "id", "conversation_id", "sender_id", "sender", "body", "at" }`; history comes from `GET …/messages/`. ' +
      SOCKET_CLOSE_CODES,
    request: { params: ConversationParams, query: z.object({ token: tokenParam }) },
    responses: { 101: { description: 'Switching Protocols: the socket is open' } },
    errors: ['not_found', 'upgrade_required', 'permission_denied'],
    handler: async (c, { params }) => {
      assertUpgrade(c);
      await assertParticipant(c.get('db'), caller(c), params.id);
      const info = connectInfoOf(c);
      await noteConversationSocket(c.env, info.userId, params.id);
      return switchProtocols(c, await conversationObject(c.env, params.id).fetch(connectRequest(info)));
    },
  }),
];
