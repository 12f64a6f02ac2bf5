import { sleep } from './run';

/** Prometheus' HTTP API (on 127.0.0.1: a published port or a node port). */
export class PrometheusApi {
  constructor(private readonly baseUrl: string) {}

  private async get<T>(path: string, params: Record<string, string> = {}): Promise<T> {
    const url = `${this.baseUrl}${path}?${new URLSearchParams(params)}`;
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`${url}: ${body.error ?? response.status}`);
    return body.data;
  }

  /** Active scrape targets: job, instance and health. */
  public async targets(): Promise<{ job: string; instance: string; health: string; lastError: string }[]> {
    const data = await this.get<{ activeTargets: { labels: Record<string, string>; health: string; lastError: string }[] }>('/api/v1/targets', { state: 'active' });
    return data.activeTargets.map((t) => ({ job: t.labels.job, instance: t.labels.instance, health: t.health, lastError: t.lastError }));
  }

  /** An instant query; each series' labels and value. */
  public async query(expr: string): Promise<{ metric: Record<string, string>; value: number }[]> {
    const data = await this.get<{ result: { metric: Record<string, string>; value: [number, string] }[] }>('/api/v1/query', { query: expr });
    return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }

  /** The single value of a query that sums to one series (NaN when it has none). */
  public async scalar(expr: string): Promise<number> {
    const [first] = await this.query(expr);
    return first?.value ?? NaN;
  }

  /** A range query of one series: [unix seconds, value] points. */
  public async range(expr: string, startS: number, endS: number, stepS: number): Promise<[number, number][]> {
    const data = await this.get<{ result: { values: [number, string][] }[] }>('/api/v1/query_range', {
      query: expr, start: String(startS), end: String(endS), step: String(stepS),
    });
    return (data.result[0]?.values ?? []).map(([t, v]) => [t, Number(v)]);
  }

  /** Waits until every expected job has all its targets up; returns the targets. */
  public async waitForTargets(jobs: readonly string[], timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    let last: Awaited<ReturnType<PrometheusApi['targets']>> = [];
    while (Date.now() < deadline) {
      last = await this.targets().catch(() => []);
      const seen = new Set(last.map((t) => t.job));
      if (jobs.every((j) => seen.has(j)) && last.every((t) => t.health === 'up')) return last;
      await sleep(2000);
    }
    throw new Error(`Prometheus targets not all up within ${timeoutMs} ms: ${JSON.stringify(last)}`);
  }

  /** Waits until `expr` gives a value `accept` takes; returns it. */
  public async waitFor(expr: string, accept: (value: number) => boolean, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let value = NaN;
    while (Date.now() < deadline) {
      value = await this.scalar(expr).catch(() => NaN);
      if (accept(value)) return value;
      await sleep(2000);
    }
    throw new Error(`${expr} = ${value} after ${timeoutMs} ms`);
  }
}
