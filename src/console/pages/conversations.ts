/**
 * Messages: the inbox (latest activity first, unread counts for staff) and a thread with a reply box. Buyer
 * messages arrive live: thread.js opens /admin/conversations/{id}/ws, authenticated by the console session
 * cookie (same Origin required), which joins the same ConversationDO sockets the API's WebSocket uses.
 */
import type { Context } from 'hono';
import { inArray } from 'drizzle-orm';
import { users } from '../../db/schema';
import type { AppEnv } from '../../env';
import { AppError } from '../../errors';
import { MAX_MESSAGE_LENGTH, messageView, PostMessageBody } from '../../conversations/conversations.schemas';
import { listConversations, postMessage, readMessages, assertParticipant } from '../../conversations/conversations.service';
import { conversationObject, noteConversationSocket } from '../../realtime/access';
import { connectRequest } from '../../realtime/sockets';
import { consoleSession, sameOrigin } from '../guard';
import { when } from '../format';
import { afterPost, formFields, pageOf, pathId, queryOf } from '../form';
import { empty, flash, frame, head, href, html, pager, postForm } from '../layout';
import { FLASH } from './flash';

type C = Context<AppEnv>;
const PAGE_SIZE = 25;
const THREAD_SIZE = 100;

const staff = (c: C) => ({ id: consoleSession(c).userId, staff: true });

async function emailsOf(c: C, ids: number[]) {
  if (!ids.length) return new Map<number, string>();
  const rows = await c.get('db').select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.email]));
}

export async function inboxPage(c: C) {
  const s = consoleSession(c);
  const q = queryOf(c);
  const page = pageOf(q);
  const { count, rows } = await listConversations(c.get('db'), staff(c), { page, page_size: PAGE_SIZE });
  const emails = await emailsOf(c, rows.map((r) => r.buyer_id));
  const body = html`${head('Messages', 'Questions from buyers about products, latest activity first.')}
<div class="card">${
    rows.length === 0
      ? empty('No messages yet.', 'When a buyer asks about a product, the conversation appears here.')
      : html`<table class="responsive"><thead><tr><th>Buyer</th><th>Product</th><th>Last message</th><th>When</th><th class="num">Unread</th></tr></thead><tbody>
${rows.map((r) => {
  const last = r.last_message ? (JSON.parse(r.last_message) as { body: string }) : undefined;
  return html`<tr><td data-label="Buyer"><a href="${href(`/conversations/${r.id}`)}">${emails.get(r.buyer_id) ?? `Buyer #${r.buyer_id}`}</a></td>
<td data-label="Product">${r.product_name ?? html`<span class="muted">(deleted product)</span>`}</td>
<td data-label="Last message" class="muted">${last ? (last.body.length > 80 ? `${last.body.slice(0, 80)}…` : last.body) : ''}</td>
<td data-label="When">${when(r.last_message_at)}</td>
<td data-label="Unread" class="num">${r.unread_count > 0 ? html`<span class="unread">${r.unread_count}</span>` : html`<span class="muted">0</span>`}</td></tr>`;
})}
</tbody></table>${pager('/conversations', {}, page, PAGE_SIZE, count)}`
  }</div>`;
  return c.html(frame({ title: 'Messages', section: 'conversations', user: s }, body));
}

const conversationId = (c: C) => pathId(c, 'Conversation');

export async function threadPage(c: C, opts: { draft?: string; error?: string } = {}) {
  const s = consoleSession(c);
  const id = conversationId(c);
  const db = c.get('db');
  // The newest page of the thread (opening it marks those messages read for staff).
  const first = await readMessages(db, staff(c), id, { page: 1, page_size: 1 });
  const lastPage = Math.max(1, Math.ceil(first.count / THREAD_SIZE));
  const { buyerId, rows } = await readMessages(db, staff(c), id, { page: lastPage, page_size: THREAD_SIZE });
  const [list] = [(await listConversations(db, staff(c), { page: 1, page_size: 100 })).rows.find((r) => r.id === id)];
  const emails = await emailsOf(c, [buyerId]);
  const buyer = emails.get(buyerId) ?? `Buyer #${buyerId}`;
  const body = html`${head(buyer, `About ${list?.product_name ?? 'a product'}`, ['/conversations', 'Messages'])}
${flash(opts.error ?? FLASH[queryOf(c).flash ?? ''], opts.error ? 'bad' : 'ok')}
<div class="card"><div class="thread" id="thread" data-socket="${href(`/conversations/${id}/ws`)}" aria-live="polite">
${rows.map((m) => {
  const v = messageView(m, buyerId);
  return html`<div class="msg ${v.sender}" data-id="${v.id}">${v.body}<span class="meta">${v.sender === 'buyer' ? buyer : 'Staff'} · ${when(v.at)}</span></div>`;
})}
</div><p class="muted" id="live-status" role="status"></p>
${postForm(
  href(`/conversations/${id}`),
  s.csrf,
  html`<div class="${opts.error ? 'field invalid' : 'field'}"><label for="f-body">Reply</label><textarea id="f-body" name="body" required maxlength="${MAX_MESSAGE_LENGTH}">${opts.draft ?? ''}</textarea></div>
<button type="submit" data-busy="Sending…">Send reply</button>`,
  { class: 'mt' },
)}</div>`;
  return c.html(frame({ title: `Conversation with ${buyer}`, section: 'conversations', user: s, script: 'thread.js' }, body), opts.error ? 400 : 200);
}

export async function replySubmit(c: C) {
  const id = conversationId(c);
  const f = await formFields(c);
  const parsed = PostMessageBody.safeParse({ body: f.body ?? '' });
  if (!parsed.success) return threadPage(c, { draft: f.body, error: `The reply ${parsed.error.issues[0]?.message ?? 'is not valid'}.` });
  const { buyerId, message } = await postMessage(c.get('db'), staff(c), id, parsed.data.body);
  try {
    await conversationObject(c.env, id).deliver({ type: 'message', ...messageView(message, buyerId) });
  } catch (err) {
    // Stored already: the buyer sees it on the next read even if the live push failed.
    console.error(JSON.stringify({ level: 'error', event: 'deliver_failed', conversation_id: id, error: err instanceof Error ? err.name : typeof err }));
  }
  return afterPost(c, `/conversations/${id}`, 'reply_sent');
}

/**
 * The thread's live socket. The session cookie (SameSite=Strict, Path=/admin) authenticates it; the Origin must
 * be this console's, since browsers do not apply CORS to WebSockets (cross-site socket hijacking).
 */
export async function threadSocket(c: C) {
  if ((c.req.header('Upgrade') ?? '').toLowerCase() !== 'websocket') throw new AppError('upgrade_required', 'This address is a WebSocket.', { headers: { Upgrade: 'websocket' } });
  if (!sameOrigin(c)) return c.text('Forbidden', 403);
  const id = conversationId(c);
  const s = consoleSession(c);
  await assertParticipant(c.get('db'), staff(c), id);
  // Registered with the user's object, so deactivation or demotion closes this socket too.
  await noteConversationSocket(c.env, s.userId, id);
  const res = await conversationObject(c.env, id).fetch(connectRequest({ userId: s.userId, expMs: Date.parse(s.expiresAt) }));
  if (res.status !== 101 || !res.webSocket) throw new Error(`socket upgrade refused by the object (${res.status})`);
  return new Response(null, { status: 101, webSocket: res.webSocket });
}
