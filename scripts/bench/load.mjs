/**
 * One load run with autocannon. Requests are built per request by `make(i)` (i counts from 0 across all
 * connections, so consecutive requests rotate users, products or pages). A run bounded by time is one continuous
 * closed loop: the first `warmup` seconds only warm up, and rate, latencies, errors and the D1 round trips of
 * `Server-Timing: d1;desc="N"` are taken from the answers that complete after that, so the timed window never
 * includes the ramp of a cold start. A progress line is kept up to date while it runs.
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

/** Count of each D1 round-trip value seen in 2xx answers. */
function d1Tally() {
  const counts = new Map();
  return {
    add(headers) {
      const key = Object.keys(headers).find((k) => k.toLowerCase() === 'server-timing');
      const m = key && /d1;desc="(\d+)"/.exec(String(headers[key]));
      const n = m ? Number(m[1]) : null;
      counts.set(n, (counts.get(n) ?? 0) + 1);
    },
    summary() {
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      const known = [...counts.entries()].filter(([k]) => k !== null).sort((a, b) => b[1] - a[1]);
      if (!known.length) return null;
      const values = known.map(([k]) => k);
      return { min: Math.min(...values), max: Math.max(...values), mode: known[0][0], modeShare: known[0][1] / total, total };
    },
  };
}

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null);

const toFetch = (baseUrl, r) =>
  fetch(baseUrl + r.path, {
    method: r.method ?? 'GET',
    headers: { ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(r.headers ?? {}) },
    body: r.body !== undefined ? JSON.stringify(r.body) : undefined,
    signal: AbortSignal.timeout(120_000),
  });

/** Sends one request and waits for it: it queues behind whatever a stopped run left in flight on the server. */
async function settle(baseUrl, r) {
  try {
    await (await toFetch(baseUrl, r)).arrayBuffer();
  } catch {
    // Only a pause: its answer does not matter.
  }
}

/**
 * Runs `make` against `baseUrl`, bounded either by `duration` seconds (after `warmup` seconds) or by `amount`
 * requests in total (no warm-up; the rate is then taken up to the last answer).
 */
export async function runLoad({ label, baseUrl, make, connections, duration, warmup = 0, amount, timeoutSec = 30 }) {
  let next = 0;
  let started = Date.now();
  let measureFrom = started;
  let lastAt = 0;
  const d1 = d1Tally();
  const statuses = new Map();
  const latencies = [];
  let ok = 0;
  let failed = 0;
  let socketErrors = 0;
  let timeouts = 0;
  const inWindow = () => Date.now() >= measureFrom;

  const request = {
    setupRequest(req) {
      const r = make(next++);
      return {
        ...req,
        method: r.method ?? 'GET',
        path: r.path,
        headers: { ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(r.headers ?? {}) },
        body: r.body !== undefined ? JSON.stringify(r.body) : undefined,
      };
    },
    onResponse(status, _body, _context, headers) {
      if (!inWindow()) return;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 200 && status < 300) d1.add(headers);
    },
  };

  const result = await new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        // autocannon refuses more connections than requests.
        connections: amount ? Math.min(connections, amount) : connections,
        ...(amount ? { amount } : { duration: warmup + duration }),
        // autocannon ends a run at its first sampling tick after the limit: sample often so runs end on time.
        sampleInt: 100,
        timeout: timeoutSec,
        requests: [request],
      },
      (err) => {
        clearInterval(ticker);
        if (err) return reject(err);
        // A run bounded by count ends at its last answer, not at the next sampling tick.
        const end = amount && lastAt ? lastAt : Date.now();
        resolve({ seconds: (end - measureFrom) / 1000 });
      },
    );
    instance.on('start', () => {
      started = Date.now();
      measureFrom = started + warmup * 1000;
    });
    instance.on('response', (_client, status, _bytes, responseTime) => {
      if (!inWindow()) return;
      lastAt = Date.now();
      latencies.push(responseTime);
      if (status >= 200 && status < 300) ok++;
      else failed++;
    });
    instance.on('reqError', (error) => {
      if (!inWindow()) return;
      socketErrors++;
      if (error?.code === 'ETIMEDOUT' || /timeout/i.test(String(error?.message))) timeouts++;
    });
    let last = 0;
    const ticker = setInterval(() => {
      const s = (Date.now() - started) / 1000;
      const done = ok + failed;
      let where;
      if (amount) where = `${done}/${amount} requests`;
      else if (s < warmup) where = `warming up ${Math.floor(s)}/${warmup} s`;
      else where = `${Math.min(Math.floor(s - warmup), duration)}/${duration} s, ${done} answers`;
      progress(`  ${label}: ${where}, ${Math.max(0, done - last)} answers in the last second`);
      last = done;
    }, 1000);
    ticker.unref();
  });

  // A run stopped by time abandons its requests in flight; let the server finish them before the next run.
  if (!amount) await settle(baseUrl, make(next++));
  latencies.sort((a, b) => a - b);
  return {
    label,
    seconds: result.seconds,
    total: ok + failed,
    ok,
    // Only successful answers count towards the rate: a fast stream of errors is not throughput.
    rps: ok / Math.max(result.seconds, 0.001),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors: failed + socketErrors,
    timeouts,
    statuses: Object.fromEntries([...statuses.entries()].sort((a, b) => a[0] - b[0])),
    d1: d1.summary(),
  };
}
