import { spawn } from 'node:child_process';
import { log, sleep } from './run';

/**
 * Bounded loopback load with hey (Debian's package): fixed workers, a rate cap
 * per worker and a time limit; hey stops by itself or on SIGINT.
 */
export interface LoadResult {
  requests: number;
  /** No answer, or not 2xx/3xx. */
  failed: number;
  statuses: Record<string, number>;
  /** hey's error distribution: message -> count (no answer: refused, reset, timed out). */
  errors: Record<string, number>;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** hey's summary as figures. */
export function parseHey(out: string): LoadResult {
  const statuses: Record<string, number> = {};
  for (const m of out.matchAll(/\[(\d{3})\]\s+(\d+) responses/g)) statuses[m[1]] = Number(m[2]);
  const errorLines: Record<string, number> = {};
  for (const m of out.matchAll(/^\s*\[(\d+)\]\s+(Get .*)$/gm)) errorLines[m[2].trim()] = (errorLines[m[2].trim()] ?? 0) + Number(m[1]);
  const errors = Object.values(errorLines).reduce((sum, n) => sum + n, 0);
  const ok = Object.entries(statuses).filter(([code]) => /^[23]/.test(code)).reduce((sum, [, n]) => sum + n, 0);
  const answered = Object.values(statuses).reduce((sum, n) => sum + n, 0);
  if (answered + errors === 0) throw new Error(`hey sent no request: ${out.slice(0, 500)}`);
  // hey prints "  50%% in 0.0123 secs".
  const percentile = (p: number) => Number(new RegExp(`\\b${p}%+ in ([\\d.]+) secs`).exec(out)?.[1] ?? NaN) * 1000;
  return {
    requests: answered + errors,
    failed: answered - ok + errors,
    statuses,
    errors: errorLines,
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    p50Ms: Number(percentile(50).toFixed(1)),
    p99Ms: Number(percentile(99).toFixed(1)),
  };
}

export interface LoadOptions {
  /** Concurrent workers. @default 2 */
  readonly concurrency?: number;
  /** Requests per second per worker. @default 10 */
  readonly ratePerWorker?: number;
  /** Hard time limit. @default 300 */
  readonly seconds?: number;
}

/** Starts hey; `stop()` interrupts it and resolves with its figures. */
export function startLoad(logName: string, url: string, options: LoadOptions = {}): { stop: () => Promise<LoadResult>; done: Promise<LoadResult> } {
  const hey = spawn('hey', [
    '-z', `${options.seconds ?? 300}s`, '-c', String(options.concurrency ?? 2), '-q', String(options.ratePerWorker ?? 10), '-disable-keepalive', url,
  ]);
  let out = '';
  hey.stdout.on('data', (chunk: Buffer) => { out += chunk; });
  hey.stderr.on('data', (chunk: Buffer) => { out += chunk; });
  const done = new Promise<LoadResult>((resolve, reject) => hey.on('close', () => {
    log(logName, `hey ${url}:\n${out}`);
    try { resolve(parseHey(out)); } catch (error) { reject(error); }
  }));
  return { done, stop: () => { hey.kill('SIGINT'); return done; } }; // hey prints its summary on interrupt
}

/** The load while `during` runs (plus 2 s before and 3 s after). */
export async function underLoad(logName: string, url: string, during: () => Promise<unknown>, options: LoadOptions = {}): Promise<LoadResult> {
  const load = startLoad(logName, url, options);
  await sleep(2000);
  try {
    await during();
    await sleep(3000);
  } finally {
    await load.stop();
  }
  return load.done;
}

/** Sends `requests` GETs and returns the distinct values of `header` (which backend answered). */
export async function distinctHeader(url: string, header: string, requests: number): Promise<string[]> {
  const seen = new Set<string>();
  for (let i = 0; i < requests; i++) {
    const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5000) }).catch(() => undefined);
    const value = response?.headers.get(header);
    await response?.arrayBuffer();
    if (value) seen.add(value);
  }
  return [...seen].sort();
}
