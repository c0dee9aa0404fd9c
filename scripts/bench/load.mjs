/**
 * One timed load run with autocannon: requests are built per request by `make(i)` (i counts from 0 across
 * all connections, so consecutive requests rotate users, products or pages), every response's
 * `Server-Timing: d1;desc="N"` is tallied, and a progress line is kept up to date while it runs.
 */
import autocannon from 'autocannon';

const isTty = process.stderr.isTTY;

export function progress(text) {
  if (isTty) process.stderr.write(`\r\x1b[2K${text}`);
}

export function progressDone(text) {
  if (isTty) process.stderr.write('\r\x1b[2K');
  if (text) console.error(text);
}

/** Count of each D1 round-trip value seen in 2xx responses. */
function d1Tally() {
  const counts = new Map();
  return {
    add(headers) {
      const key = Object.keys(headers).find((k) => k.toLowerCase() === 'server-timing');
      const st = key && headers[key];
      const m = st && /d1;desc="(\d+)"/.exec(String(st));
      const n = m ? Number(m[1]) : null;
      counts.set(n, (counts.get(n) ?? 0) + 1);
    },
    summary() {
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      if (!total) return null;
      const known = [...counts.keys()].filter((k) => k !== null);
      if (!known.length) return { min: null, max: null, mode: null, modeShare: 1, total };
      const [mode, modeCount] = [...counts.entries()].filter(([k]) => k !== null).sort((a, b) => b[1] - a[1])[0];
      return { min: Math.min(...known), max: Math.max(...known), mode, modeShare: modeCount / total, total };
    },
  };
}

/** Sends one request and waits for it: it queues behind whatever an abandoned run left on the server. */
async function settle(baseUrl, r) {
  try {
    const res = await fetch(baseUrl + r.path, {
      method: r.method ?? 'GET',
      headers: { ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(r.headers ?? {}) },
      body: r.body !== undefined ? JSON.stringify(r.body) : undefined,
      signal: AbortSignal.timeout(120_000),
    });
    await res.arrayBuffer();
  } catch {
    // Only a pause: its answer does not matter.
  }
}

/** Runs `make` against `baseUrl`. Either `duration` (seconds) or `amount` (total requests) bounds the run. */
export async function runLoad({ label, baseUrl, make, connections, duration, amount, timeoutSec = 30 }) {
  const result = await load({ label, baseUrl, make, connections, duration, amount, timeoutSec });
  // A run stopped by time abandons its requests in flight; the server finishes them before the next run starts.
  if (!amount) await settle(baseUrl, make(result.total + 1));
  return result;
}

function load({ label, baseUrl, make, connections, duration, amount, timeoutSec }) {
  let next = 0;
  let lastAt = 0;
  const d1 = d1Tally();
  const statuses = new Map();
  const request = {
    setupRequest(req) {
      const i = next++;
      const r = make(i);
      return {
        ...req,
        method: r.method ?? 'GET',
        path: r.path,
        headers: { ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(r.headers ?? {}) },
        body: r.body !== undefined ? JSON.stringify(r.body) : undefined,
      };
    },
    onResponse(status, _body, _context, headers) {
      lastAt = Date.now();
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 200 && status < 300) d1.add(headers);
    },
  };

  return new Promise((resolve, reject) => {
    const started = Date.now();
    const instance = autocannon(
      {
        url: baseUrl,
        // autocannon refuses more connections than requests.
        connections: amount ? Math.min(connections, amount) : connections,
        ...(amount ? { amount } : { duration }),
        timeout: timeoutSec,
        requests: [request],
      },
      (err, result) => {
        clearInterval(ticker);
        if (err) return reject(err);
        // autocannon notices the end only at its next 1-second tick: a run bounded by count ends at its last answer.
        const seconds = ((amount && lastAt ? lastAt : Date.now()) - started) / 1000;
        const ok = result['2xx'];
        resolve({
          label,
          seconds,
          total: result.requests.total,
          ok,
          // Only successful answers count towards the rate: a fast stream of errors is not throughput.
          rps: ok / Math.max(seconds, 0.001),
          p50: result.latency.p50,
          p99: result.latency.p99,
          errors: result.non2xx + result.errors,
          timeouts: result.timeouts,
          statuses: Object.fromEntries([...statuses.entries()].sort((a, b) => a[0] - b[0])),
          d1: d1.summary(),
        });
      },
    );
    let done = 0;
    instance.on('response', () => done++);
    // The progress line: elapsed/limit, requests so far and the rate of the last second.
    let last = 0;
    const ticker = setInterval(() => {
      const s = Math.round((Date.now() - started) / 1000);
      const bound = amount ? `${done}/${amount} req` : `${Math.min(s, duration)}/${duration} s, ${done} req`;
      progress(`  ${label}: ${bound}, ${done - last} req/s`);
      last = done;
    }, 1000);
    ticker.unref();
  });
}
