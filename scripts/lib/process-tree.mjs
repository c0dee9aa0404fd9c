/**
 * Stopping a child together with everything it started (wrangler → workerd), on POSIX and Windows alike. POSIX:
 * the child is spawned `detached` (its own process group) and the group is signalled. Windows has no process
 * groups and `detached` there opens a new console, so the child is spawned attached and its tree is ended with
 * `taskkill /T`.
 */
import { spawnSync } from 'node:child_process';

export const IS_WINDOWS = process.platform === 'win32';

/** spawn() options that make `killTree` able to reach the child's descendants. */
export const TREE_SPAWN_OPTIONS = { detached: !IS_WINDOWS };

/** Signals the child `pid` and its descendants; a process already gone is not an error. */
export function killTree(pid, signal = 'SIGTERM') {
  if (!pid) return;
  try {
    if (IS_WINDOWS) spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore' });
    else process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
