/** Unit tests of the README walk-through parser and answer comparison behind `npm run docs:check`. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differences, parseOutput, walkthroughSteps } from '../lib/walkthrough.mjs';

const README = [
  '# x',
  '```sh',
  'echo outside',
  '```',
  '<!-- walkthrough:start -->',
  '```sh',
  'npm install && npm run dev',
  '```',
  '```sh',
  'curl -s http://localhost:8787/api/v1/health',
  '```',
  '```json',
  '{ "status": "ok" }',
  '```',
  '```bash',
  'TOKEN=abc',
  '```',
  '<!-- walkthrough:end -->',
].join('\n');

describe('walkthroughSteps', () => {
  it('takes the shell blocks of the marked section with the JSON shown after each, skipping the server start', () => {
    const steps = walkthroughSteps(README);
    assert.equal(steps.length, 2);
    assert.match(steps[0].code, /curl -s/);
    assert.equal(JSON.parse(steps[0].expected).status, 'ok');
    assert.equal(steps[0].line, 9);
    assert.equal(steps[1].expected, undefined);
  });
  it('refuses a README without the markers', () => {
    assert.throws(() => walkthroughSteps('# nothing'), /walkthrough:start/);
  });
});

describe('differences', () => {
  it('treats the shown answer as a subset and ignores volatile keys', () => {
    assert.deepEqual(differences({ a: 1, id: 5, items: [{ q: 2 }] }, { a: 1, id: 99, extra: true, items: [{ q: 2, z: 1 }, {}] }), []);
  });
  it('names each differing field', () => {
    assert.deepEqual(differences({ a: 1, b: { c: 'x' } }, { a: 2, b: {} }), ['$.a: shown 1, got 2', '$.b.c: missing']);
  });
  it('reads … as a wildcard inside strings', () => {
    assert.deepEqual(differences({ n: 'ORD-…' }, { n: 'ORD-7K3M' }), []);
    assert.equal(differences({ n: 'ORD-…' }, { n: 'INV-1' }).length, 1);
  });
  it('needs at least as many array items as shown', () => {
    assert.equal(differences([1, 2], [1]).length, 1);
  });
});

describe('parseOutput', () => {
  it('parses the whole output or else its last JSON line', () => {
    assert.deepEqual(parseOutput('{"a":1}\n'), { a: 1 });
    assert.deepEqual(parseOutput('HTTP/1.1 201\n{"a":2}'), { a: 2 });
    assert.equal(parseOutput('no json'), undefined);
  });
});
