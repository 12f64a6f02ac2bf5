import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR } from './run';

export function writeResults(name: string, results: Record<string, unknown>): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${file}:\n${JSON.stringify(results, null, 2)}`);
  return file;
}

/** Throws listing every result that misses its expected value. */
export function check(results: Record<string, unknown>, expectations: Record<string, (value: unknown) => boolean>): void {
  const failed = Object.entries(expectations)
    .filter(([key, ok]) => !ok(results[key]))
    .map(([key]) => `${key} = ${JSON.stringify(results[key])}`);
  if (failed.length > 0) throw new Error(`e2e expectations not met: ${failed.join(', ')}`);
}
