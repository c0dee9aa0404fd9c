/**
 * Reading a secret without leaving it in the shell history: a hidden prompt on a terminal, or the first line of
 * standard input when it is piped (`printf '%s\n' "$PASS" | npm run admin:create -- --email E`).
 */
import { createInterface } from 'node:readline';

/** The first line of a piped standard input (without its line ending); '' when it is empty. */
export async function readFirstLine(input = process.stdin) {
  const rl = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of rl) return line;
    return '';
  } finally {
    rl.close();
  }
}

/** Prompts on the terminal with echo off: typed characters are not shown, Backspace works, Ctrl-C aborts. */
export function promptHidden(question, { input = process.stdin, output = process.stderr } = {}) {
  return new Promise((resolve, reject) => {
    output.write(question);
    let value = '';
    const done = (err) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new Error('aborted'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}

/**
 * The password for a command: `--password` when given (convenient for CI and local demos), else a hidden prompt
 * on a terminal (asked twice), else the first line of standard input.
 */
export async function readPassword(given, { confirm = true } = {}) {
  if (given !== undefined) return given;
  if (!process.stdin.isTTY) return readFirstLine();
  const first = await promptHidden('Password: ');
  if (confirm && (await promptHidden('Repeat the password: ')) !== first) throw new Error('the two passwords differ');
  return first;
}
