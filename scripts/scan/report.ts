/**
 * What `npm run scan` makes of checkov's JSON reports: the checked-in skip list, and per scan
 * target the passed / failed / skipped counts, where "skipped" are the failed checks the skip
 * list names and "failed" every other failed check (each one fails the command).
 */
import { parse } from 'yaml';

export interface SkipEntry { readonly id: string; readonly reason: string }

/** A failed check outside the skip list. */
export interface Finding { readonly target: string; readonly check_id: string; readonly resource: string; readonly check_name: string }

export interface TargetSummary {
  /** checkov's framework for the target. */
  readonly framework: string;
  readonly passed: number;
  /** Failed checks outside the skip list. */
  readonly failed: number;
  /** Failed checks the skip list names. */
  readonly skipped: number;
  /** Failed checks, skip list ignored (what checkov alone reports). */
  readonly failed_without_skip_list: number;
  readonly resources: number;
  /** Said when checkov checked nothing of the target. */
  readonly note?: string;
}

interface CheckovCheck { check_id: string; resource: string; check_name: string }
interface CheckovSummary { passed: number; failed: number; skipped: number; parsing_errors: number; resource_count: number }
interface CheckovReport { check_type: string; results: { failed_checks?: CheckovCheck[] }; summary: CheckovSummary }

const CHECK_ID = /^CKV2?_[A-Z0-9]+_\d+$/;

/** Parses and checks the skip list: a YAML list of `{ id, reason }`, ids unique, reasons one line. */
export function parseSkipList(text: string, file = 'skip list'): SkipEntry[] {
  const entries: unknown = parse(text) ?? [];
  if (!Array.isArray(entries)) throw new Error(`${file}: expected a list of { id, reason }, got ${typeof entries}`);
  const seen = new Set<string>();
  return entries.map((entry: unknown, i) => {
    const { id, reason } = (entry ?? {}) as { id?: unknown; reason?: unknown };
    if (typeof id !== 'string' || !CHECK_ID.test(id)) throw new Error(`${file}: entry ${i + 1}: invalid id ${JSON.stringify(id)}: expected a checkov check id such as CKV_K8S_43`);
    if (typeof reason !== 'string' || reason.trim() === '' || reason.includes('\n')) {
      throw new Error(`${file}: entry ${i + 1} (${id}): invalid reason ${JSON.stringify(reason)}: expected one non-empty line saying why the check may fail`);
    }
    if (seen.has(id)) throw new Error(`${file}: entry ${i + 1}: ${id} is listed twice`);
    seen.add(id);
    return { id, reason: reason.trim() };
  });
}

/**
 * Summarizes checkov's `-o json` output for one target. checkov prints one report object, a list
 * of them (several frameworks), or only a summary when the target has nothing it checks.
 */
export function summarize(target: string, framework: string, output: string, skipList: readonly SkipEntry[]): { summary: TargetSummary; findings: Finding[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    throw new Error(`checkov gave no JSON report for ${target}: ${output.slice(0, 300)}`);
  }
  const reports = (Array.isArray(parsed) ? parsed : [parsed]) as Partial<CheckovReport & CheckovSummary>[];
  const skip = new Set(skipList.map((e) => e.id));
  let passed = 0;
  let resources = 0;
  const failedChecks: CheckovCheck[] = [];
  for (const report of reports) {
    const summary = report.summary ?? (report as CheckovSummary);
    if (typeof summary.passed !== 'number' || typeof summary.failed !== 'number') throw new Error(`checkov report for ${target} has no summary: ${JSON.stringify(report).slice(0, 300)}`);
    if (summary.parsing_errors) throw new Error(`checkov could not parse ${summary.parsing_errors} file(s) of ${target}`);
    passed += summary.passed;
    resources += summary.resource_count ?? 0;
    const failed = report.results?.failed_checks ?? [];
    if (failed.length !== summary.failed) throw new Error(`checkov report for ${target}: ${summary.failed} failed in the summary but ${failed.length} listed`);
    failedChecks.push(...failed);
  }
  const findings = failedChecks.filter((c) => !skip.has(c.check_id)).map((c) => ({ target, check_id: c.check_id, resource: c.resource, check_name: c.check_name }));
  return {
    summary: { framework, passed, failed: findings.length, skipped: failedChecks.length - findings.length, failed_without_skip_list: failedChecks.length, resources },
    findings,
  };
}
