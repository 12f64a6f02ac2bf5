import { isInstallPage, waitFor } from './http';
import { WORDPRESS } from '../../constructs/app-model';

export const seconds = (ms: number) => Number((ms / 1000).toFixed(2));

/** Starts polling the install page now; resolves with the time of the first 200 with the form. */
export function firstInstallPage(siteUrl: string, timeoutMs = 900_000): Promise<number> {
  return waitFor(`${siteUrl}${WORDPRESS.installPath}`, isInstallPage, timeoutMs);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : Number(((sorted[mid - 1] + sorted[mid]) / 2).toFixed(2));
}
