/**
 * The live thread, an ES module served at /admin/assets/thread.js: listens on the conversation's socket and
 * appends each new message as TEXT (textContent, never HTML). Reconnects with a growing delay.
 */
const thread = document.getElementById('thread');
const status = document.getElementById('live-status');
const seen = new Set([...thread.querySelectorAll('[data-id]')].map((el) => el.dataset.id));
const url = new URL(thread.dataset.socket, location.href);
url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
let delay = 1000;
const fmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
thread.scrollTop = thread.scrollHeight;
function add(m) {
  if (seen.has(String(m.id))) return;
  seen.add(String(m.id));
  const el = document.createElement('div');
  el.className = 'msg ' + (m.sender === 'staff' ? 'staff' : 'buyer');
  el.dataset.id = String(m.id);
  el.textContent = m.body;
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = (m.sender === 'staff' ? 'Staff' : 'Buyer') + ' · ' + fmt.format(new Date(m.at)) + ' UTC';
  el.append(meta);
  thread.append(el);
  thread.scrollTop = thread.scrollHeight;
}
function connect() {
  const ws = new WebSocket(url);
  ws.addEventListener('open', () => { delay = 1000; status.textContent = 'Live: new messages appear here as they arrive.'; thread.dataset.live = 'true'; });
  ws.addEventListener('message', (e) => {
    try { const m = JSON.parse(e.data); if (m.type === 'message') add(m); } catch { /* not a message */ }
  });
  ws.addEventListener('close', (e) => {
    thread.dataset.live = 'false';
    if (e.code === 4003 || e.code === 4001) { status.textContent = 'Live updates stopped: reload the page.'; return; }
    status.textContent = 'Reconnecting…';
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, 30000);
  });
}
connect();
