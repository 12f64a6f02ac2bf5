#!/usr/bin/env node
// The pipeline's smoke test: GET <url> every 0.5 s until it answers 200 (exit 0) or
// SMOKE_TIMEOUT_SECONDS (default 120) pass (exit 1). Prints each new status seen.
// (SMOKE_INTERVAL_MS, default 500: the pause between tries.)
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.argv[2];
if (!url) {
  console.error('usage: node scripts/ci/smoke.mjs <url>');
  process.exit(2);
}
const timeout = Number(process.env.SMOKE_TIMEOUT_SECONDS ?? 120);
const interval = Number(process.env.SMOKE_INTERVAL_MS ?? 500);
const started = Date.now();
let last;
/** The status of one GET (redirects not followed), or the error's code; 5 s at most. (node:http, not fetch: ~40 ms less to start.) */
const statusOf = () => new Promise((resolve) => {
  const request = (url.startsWith('https:') ? https : http).get(url, { timeout: 5000 }, (response) => {
    response.resume();
    resolve(response.statusCode);
  });
  request.on('timeout', () => request.destroy(Object.assign(new Error('no answer within 5 s'), { code: 'TimeoutError' })));
  request.on('error', (error) => resolve(error.code ?? error.name));
});
for (;;) {
  const status = await statusOf();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (status !== last) console.log(`smoke: ${url} -> ${status} after ${seconds} s`);
  last = status;
  if (status === 200) process.exit(0);
  if (Date.now() - started > timeout * 1000) {
    console.error(`smoke: ${url} did not answer 200 within ${timeout} s (last: ${status})`);
    process.exit(1);
  }
  await sleep(interval);
}
