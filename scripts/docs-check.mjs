#!/usr/bin/env node
/**
 * npm run docs:check — proves the README walk-through still works as written. Starts the API the way the README
 * says (`npm run dev`) on throwaway local state and a free port, runs every shell block of the walk-through in
 * order in ONE bash session (so variables set by a step are there for the next), and compares each step's answer
 * with the one the README shows (the fields that matter; ids, tokens and times are not compared). Exits 1 at
 * the first failing command or differing answer, naming the README line.
 *   --keep   leave the state directory and server log for a look afterwards
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickPort, sleep } from './bench/procs.mjs';
import { differences, parseOutput, walkthroughSteps } from './lib/walkthrough.mjs';
import { ROOT, fail } from './lib/wrangler.mjs';
import { killTree, TREE_SPAWN_OPTIONS } from './lib/process-tree.mjs';

const keep = process.argv.includes('--keep');
const README_PORT = '8787';
const steps = walkthroughSteps(readFileSync(join(ROOT, 'README.md'), 'utf8'));
if (!steps.length) fail('The README walk-through has no shell blocks.');

const dir = mkdtempSync(join(tmpdir(), 'docs-check-'));
const port = String(await pickPort(8800));
const logFile = join(dir, 'server.log');
console.log(`▸ ${steps.length} steps; starting the API (npm run dev) on port ${port} with state in ${dir}`);

const log = [];
const server = spawn(process.execPath, ['scripts/dev.mjs', '--port', port, '--persist-to', join(dir, 'state')], {
  cwd: ROOT,
  ...TREE_SPAWN_OPTIONS,
  stdio: ['ignore', 'pipe', 'pipe'],
});
server.stdout.on('data', (d) => log.push(d));
server.stderr.on('data', (d) => log.push(d));
const stopServer = () => {
  killTree(server.pid);
};
const finish = (code, message) => {
  stopServer();
  writeFileSync(logFile, Buffer.concat(log));
  if (message) console.error(`\n✖ ${message}`);
  if (keep || code) console.log(`  server log: ${logFile}`);
  else rmSync(dir, { recursive: true, force: true });
  process.exit(code);
};
process.on('SIGINT', () => finish(130, 'interrupted'));

// The API is ready when health answers 200 (npm run dev migrates and seeds first).
const deadline = Date.now() + 180_000;
for (;;) {
  if (server.exitCode !== null) finish(1, `npm run dev exited early:\n${Buffer.concat(log).toString().slice(-3000)}`);
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
    if (res.ok) break;
  } catch {
    // not yet
  }
  if (Date.now() > deadline) finish(1, 'the API did not become healthy within 180 s');
  await sleep(500);
}
console.log('✔ API ready');

// One bash session runs every step; each step's output goes to its own file, its status to a marker file.
const work = join(dir, 'steps');
const script = ['set -o pipefail', `cd ${JSON.stringify(ROOT)}`];
for (const step of steps) {
  const file = join(dir, `step-${step.index}.sh`);
  writeFileSync(file, `set -e\n${step.code.replaceAll(`localhost:${README_PORT}`, `localhost:${port}`)}`);
  script.push(`( exit 0 ); source ${JSON.stringify(file)} > ${JSON.stringify(`${work}-${step.index}.out`)} 2>&1; echo $? > ${JSON.stringify(`${work}-${step.index}.rc`)}`);
}
writeFileSync(join(dir, 'walkthrough.sh'), script.join('\n') + '\n');
const bash = spawn('bash', [join(dir, 'walkthrough.sh')], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
const bashExit = await new Promise((resolve) => bash.on('exit', (code) => resolve(code ?? 1)));

for (const step of steps) {
  const where = `README.md line ${step.line} (step ${step.index})`;
  const rcFile = `${work}-${step.index}.rc`;
  const output = existsSync(`${work}-${step.index}.out`) ? readFileSync(`${work}-${step.index}.out`, 'utf8') : '';
  if (!existsSync(rcFile)) finish(1, `${where} did not finish (bash exited ${bashExit}):\n${step.code}\n${output}`);
  const rc = Number(readFileSync(rcFile, 'utf8'));
  if (rc !== 0) finish(1, `${where} failed with status ${rc}:\n${step.code}\n--- output ---\n${output}`);
  if (step.expected !== undefined) {
    let shown;
    try {
      shown = JSON.parse(step.expected);
    } catch (e) {
      finish(1, `${where}: the answer shown after it is not JSON (${e.message})`);
    }
    const actual = parseOutput(output);
    if (actual === undefined) finish(1, `${where} printed no JSON:\n${output}`);
    const diff = differences(shown, actual);
    if (diff.length) finish(1, `${where}: the answer differs from the README:\n  ${diff.join('\n  ')}\n--- got ---\n${output}`);
  }
  console.log(`✔ step ${step.index} (line ${step.line})${step.expected !== undefined ? ' — answer matches' : ''}`);
}
finish(0);
