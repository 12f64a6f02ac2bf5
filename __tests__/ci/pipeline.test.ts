import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
type Job = { stage?: string; script?: string[]; needs?: string[]; rules?: { if?: string; when?: string }[]; when?: string; extends?: string; environment?: { name: string; action?: string } };
const gitlab = parse(read('.gitlab-ci.yml')) as Record<string, unknown> & { stages: string[] };
const jobs = Object.fromEntries(Object.entries(gitlab).filter(([name, v]) => !name.startsWith('.') && typeof v === 'object' && v && 'script' in v)) as Record<string, Job>;
const github = parse(read('.github/workflows/pipeline.yml')) as { jobs: Record<string, { steps: { run?: string; uses?: string }[]; environment?: string; if?: string; needs?: string[] }> };
const runs = (job: string) => github.jobs[job].steps.map((s) => s.run ?? '').join('\n');

describe('.gitlab-ci.yml', () => {
  it('has the stages in order, each with its job', () => {
    expect(gitlab.stages).toEqual(['install', 'test', 'synth', 'plan', 'review', 'deploy']);
    expect(Object.fromEntries(Object.entries(jobs).map(([name, job]) => [name, job.stage]))).toEqual({
      install: 'install', test: 'test', synth: 'synth', plan: 'plan',
      'review-deploy': 'review', 'review-smoke': 'review', 'review-destroy': 'review', 'deploy-k8s': 'deploy',
    });
  });

  it('tests, synthesizes with the scan, and keeps the plan as an artifact', () => {
    expect(jobs.test.script).toEqual(['npm test']);
    expect(jobs.synth.script).toEqual(expect.arrayContaining(['npm run synth', 'npm run scan -- --stacks-only']));
    expect(jobs.plan.script!.join('\n')).toMatch(/cdktf diff wordpress-docker .*tee plan\/wordpress-docker.txt/);
    expect((gitlab.plan as { artifacts: { paths: string[] } }).artifacts.paths).toEqual(['plan/']);
  });

  it('deploys, smoke-tests and always destroys the review environment', () => {
    expect(jobs['review-deploy'].script).toEqual(['npm run deploy']);
    expect(jobs['review-smoke'].script!.join()).toContain('scripts/ci/smoke.mjs "http://127.0.0.1:$REVIEW_HOST_PORT/wp-admin/install.php"');
    expect(jobs['review-destroy']).toMatchObject({ when: 'always', script: ['npm run destroy'], environment: { action: 'stop' } });
  });

  it('deploys the Kubernetes stack only on the default branch, by hand, with the kubeconfig from a CI variable', () => {
    expect(jobs['deploy-k8s'].rules).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', when: 'manual' }]);
    expect(jobs['deploy-k8s'].script).toEqual(expect.arrayContaining(['export WPCDK_KUBECONFIG="$KUBE_CONFIG"', 'npm run deploy:k8s']));
  });

  it('holds no secret: every password-like variable is a reference', () => {
    const text = read('.gitlab-ci.yml') + read('.github/workflows/pipeline.yml');
    for (const [, key, value] of text.matchAll(/^\s*([A-Z_]*(?:PASSWORD|TOKEN|SECRET|KUBE_CONFIG)[A-Z_]*):\s*(.+)$/gm)) {
      expect([key, value.trim()]).toEqual([key, expect.stringMatching(/^"?\$(\{\{ secrets\.[A-Z_]+ \}\}|[A-Z_]+)"?$/)]);
    }
  });

  it('is run by .ci/run with every job that needs no credentials (all but test, which .ci/run runs itself, and deploy-k8s)', () => {
    const script = read('scripts/ci/gitlab-pipeline.sh');
    const listed = script.match(/^JOBS=\(([^)]*)\)/m)![1].split(/\s+/);
    expect(listed).toEqual(Object.keys(jobs).filter((name) => name !== 'test' && name !== 'deploy-k8s'));
    expect(read('.ci/run')).toMatch(/step "npm test \(README\)" npm test\n/);
  });
});

describe('.github/workflows/pipeline.yml', () => {
  it('has the same stages as the GitLab pipeline', () => {
    expect(Object.keys(github.jobs)).toEqual(['test', 'synth', 'review', 'deploy-k8s']);
    expect(runs('test')).toContain('npm test');
    expect(runs('synth')).toMatch(/npm run synth\nnpm run scan -- --stacks-only/);
    expect(runs('review')).toMatch(/cdktf diff wordpress-docker[\s\S]*npm run deploy\b[\s\S]*smoke\.mjs[\s\S]*npm run destroy/);
    expect(github.jobs.review.steps.some((s) => s.uses?.startsWith('actions/upload-artifact'))).toBe(true);
  });

  it('deploys to Kubernetes on a push to the default branch through the gated production environment', () => {
    expect(github.jobs['deploy-k8s']).toMatchObject({ environment: 'production', needs: ['review'] });
    expect(github.jobs['deploy-k8s'].if).toContain('github.event.repository.default_branch');
    expect(runs('deploy-k8s')).toContain('npm run deploy:k8s');
  });
});
