/**
 * Where rendered emails go, chosen by EMAIL_TRANSPORT:
 * - `log` (default, local development): one log line with the recipient, subject and text, so a reset link
 *   shows in the `npm run dev` terminal;
 * - `send_email`: the Workers `send_email` binding `EMAIL` (Cloudflare Email Routing);
 * - `http`: an HTTP email API in Resend's format (`POST EMAIL_API_URL` with a Bearer key and
 *   `{ from, to, subject, text, html }`); the dedupe key goes along as `Idempotency-Key`, which Resend honours,
 *   so even a retry after a lost answer is not sent twice by the provider.
 * A transport throws when the email was not accepted; the consumer then retries the message with backoff.
 */
import type { Config } from '../config';
import type { Env } from '../env';
import type { RenderedEmail } from './email-render';

export async function sendEmail(env: Env, config: Config, email: RenderedEmail, dedupeKey: string): Promise<void> {
  const { transport, from, apiUrl, apiKey } = config.email;
  if (transport === 'log') {
    if (config.logLevel !== 'silent') {
      console.log(JSON.stringify({ level: 'info', event: 'email', transport: 'log', to: email.to, subject: email.subject, text: email.text }));
    }
    return;
  }
  if (transport === 'send_email') {
    if (!env.EMAIL) throw new Error('EMAIL_TRANSPORT is send_email but the EMAIL binding is not configured');
    await env.EMAIL.send({ from, to: email.to, subject: email.subject, text: email.text, html: email.html, headers: { 'X-Entity-Ref-ID': dedupeKey } });
    return;
  }
  const res = await fetch(apiUrl, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', 'Idempotency-Key': dedupeKey },
    body: JSON.stringify({ from, to: [email.to], subject: email.subject, text: email.text, html: email.html }),
  });
  // Drain the body either way so the connection is released.
  const answer = await res.text();
  // Every refusal is retried (a bad key or address gets fixed by an operator); after the last retry the message
  // waits in the dead-letter queue instead of being lost.
  if (!res.ok) throw new Error(`email API answered ${res.status}: ${answer.slice(0, 200)}`);
}
