/**
 * Cutting a user's live sockets when their access changes (called after the D1 write has committed): a
 * deactivated account loses every socket (notifications and conversations), a demoted admin loses the
 * conversation sockets opened as staff. The conversations a user had sockets on are remembered by the user's
 * notifications object.
 */
import type { Env } from '../env';

const userObject = (env: Env, userId: number) => env.NOTIFICATIONS.get(env.NOTIFICATIONS.idFromName(String(userId)));
export const conversationObject = (env: Env, conversationId: number) => env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(String(conversationId)));

export async function closeSocketsOf(env: Env, userId: number, scope: 'all' | 'conversations'): Promise<void> {
  const user = userObject(env, userId);
  const conversations = scope === 'all' ? await user.closeAll() : await user.joinedConversations();
  await Promise.all(conversations.map((id) => conversationObject(env, id).closeUser(userId)));
}

/** Registers a conversation socket with the user's object, so `closeSocketsOf` finds it later. */
export function noteConversationSocket(env: Env, userId: number, conversationId: number): Promise<void> {
  return userObject(env, userId).noteConversation(conversationId);
}
