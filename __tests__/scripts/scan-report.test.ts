import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSkipList, summarize } from '../../scripts/scan/report';

const check = (id: string, resource = 'Deployment.blog.mysql') => ({ check_id: id, resource, check_name: `check ${id}` });
const report = (failed: ReturnType<typeof check>[], passed = 10, resources = 3) =>
  ({ check_type: 'kubernetes', results: { failed_checks: failed }, summary: { passed, failed: failed.length, skipped: 0, parsing_errors: 0, resource_count: resources } });

describe('parseSkipList', () => {
  it('reads check ids with one-line reasons', () => {
    expect(parseSkipList('- id: CKV_K8S_43\n  reason: " tags by default "\n- id: CKV2_K8S_6\n  reason: x\n')).toEqual([
      { id: 'CKV_K8S_43', reason: 'tags by default' }, { id: 'CKV2_K8S_6', reason: 'x' },
    ]);
    expect(parseSkipList('')).toEqual([]);
  });

  it('refuses entries without a check id or a one-line reason, and duplicates', () => {
    expect(() => parseSkipList('- id: K8S_43\n  reason: x\n', 'skip.yaml')).toThrow(/skip.yaml: entry 1: invalid id "K8S_43": expected a checkov check id/);
    expect(() => parseSkipList('- id: CKV_K8S_43\n')).toThrow(/entry 1 \(CKV_K8S_43\): invalid reason undefined: expected one non-empty line/);
    expect(() => parseSkipList('- id: CKV_K8S_43\n  reason: |\n    two\n    lines\n')).toThrow(/invalid reason "two\\nlines\\n"/);
    expect(() => parseSkipList('- {id: CKV_K8S_43, reason: a}\n- {id: CKV_K8S_43, reason: b}\n')).toThrow(/entry 2: CKV_K8S_43 is listed twice/);
    expect(() => parseSkipList('id: CKV_K8S_43\n')).toThrow(/expected a list of \{ id, reason \}/);
  });
});

describe('summarize', () => {
  const skip = [{ id: 'CKV_K8S_43', reason: 'tags' }];

  it('counts failed checks on the skip list as skipped and every other one as a finding', () => {
    const { summary, findings } = summarize('live', 'kubernetes', JSON.stringify(report([check('CKV_K8S_43'), check('CKV_K8S_11'), check('CKV_K8S_43', 'Deployment.blog.wordpress')])), skip);
    expect(summary).toEqual({ framework: 'kubernetes', passed: 10, failed: 1, skipped: 2, failed_without_skip_list: 3, resources: 3 });
    expect(findings).toEqual([{ target: 'live', check_id: 'CKV_K8S_11', resource: 'Deployment.blog.mysql', check_name: 'check CKV_K8S_11' }]);
  });

  it('adds up a list of reports, and reads a bare summary (nothing checkov checks)', () => {
    const both = JSON.stringify([report([check('CKV_K8S_11')], 5, 1), report([], 7, 2)]);
    expect(summarize('x', 'kubernetes', both, skip).summary).toMatchObject({ passed: 12, failed: 1, resources: 3 });
    const bare = JSON.stringify({ passed: 0, failed: 0, skipped: 0, parsing_errors: 0, resource_count: 0 });
    expect(summarize('wordpress-docker', 'terraform_json', bare, skip).summary).toMatchObject({ passed: 0, failed: 0, skipped: 0 });
  });

  it('fails on output that is not a complete report', () => {
    expect(() => summarize('x', 'kubernetes', 'Traceback (most recent call last)', skip)).toThrow(/checkov gave no JSON report for x: Traceback/);
    expect(() => summarize('x', 'kubernetes', JSON.stringify({ ...report([]), summary: { ...report([]).summary, parsing_errors: 1 } }), skip)).toThrow(/could not parse 1 file/);
    expect(() => summarize('x', 'kubernetes', JSON.stringify({ ...report([]), summary: { ...report([]).summary, failed: 2 } }), skip)).toThrow(/2 failed in the summary but 0 listed/);
    expect(() => summarize('x', 'kubernetes', '{"check_type":"kubernetes"}', skip)).toThrow(/has no summary/);
  });
});

describe('the checked-in skip list', () => {
  it('parses, and stays within the goal of 5 entries', () => {
    const list = parseSkipList(readFileSync(join(__dirname, '..', '..', 'scripts', 'scan', 'skip-list.yaml'), 'utf8'));
    expect(list.length).toBeGreaterThan(0);
    expect(list.length).toBeLessThanOrEqual(5);
  });
});
