#!/usr/bin/env node
/**
 * npm run build [-- wrangler options]: bundles the Worker as `wrangler deploy` would, without deploying
 * (`--dry-run --outdir dist`), offline. A Node script rather than `VAR=value wrangler …` in package.json, so it
 * works in PowerShell and cmd.exe as well as POSIX shells.
 */
import { wranglerOrExit } from './lib/wrangler.mjs';

await wranglerOrExit(['deploy', '--dry-run', '--outdir', 'dist', ...process.argv.slice(2)], 'The build', { interactive: false });
