import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { appEnv, appOf } = require('../../../scripts/lib/app-synth.cjs') as {
  appEnv: (env: NodeJS.ProcessEnv, outdir: string) => NodeJS.ProcessEnv;
  appOf: (dir: string) => { command: string; outdir: string } | undefined;
};

function withCdktfJson<T>(config: object, body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'app-synth-test-'));
  try {
    writeFileSync(join(dir, 'cdktf.json'), JSON.stringify(config));
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('appEnv: the environment the cdktf CLI gives the app', () => {
  it('keeps the environment but TF_VAR_*, and adds the out dir, the context with no modules, the heap limit and NODE_ENV', () => {
    expect(appEnv({ PATH: '/bin', WPCDK_STACKS: 'wordpress-docker', TF_VAR_secret: 'x' }, 'cdktf.out')).toEqual({
      PATH: '/bin',
      WPCDK_STACKS: 'wordpress-docker',
      NODE_ENV: 'production',
      NODE_OPTIONS: '--max-old-space-size=4096',
      CDKTF_OUTDIR: 'cdktf.out',
      CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true',
      CDKTF_CONTEXT_JSON: '{"cdktfRelativeModules":[]}',
      SYNTH_HCL_OUTPUT: 'false',
    });
  });

  it('keeps what the user set: NODE_ENV, NODE_OPTIONS, and the context given in CDKTF_CONTEXT_JSON', () => {
    const env = appEnv({ NODE_ENV: 'test', NODE_OPTIONS: '--enable-source-maps', CDKTF_CONTEXT_JSON: '{"a":1}' }, 'out');
    expect(env).toMatchObject({ NODE_ENV: 'test', NODE_OPTIONS: '--enable-source-maps', CDKTF_OUTDIR: 'out', CDKTF_CONTEXT_JSON: '{"a":1,"cdktfRelativeModules":[]}' });
  });
});

describe('appOf: the app of cdktf.json', () => {
  it('is the app command and the output folder (cdktf.out unless set)', () => {
    expect(withCdktfJson({ app: 'node scripts/synth.mjs', terraformModules: [], context: {} }, appOf)).toEqual({ command: 'node scripts/synth.mjs', outdir: 'cdktf.out' });
    expect(withCdktfJson({ app: 'npx ts-node main.ts', output: 'out' }, appOf)).toEqual({ command: 'npx ts-node main.ts', outdir: 'out' });
  });

  it('is left to the CLI when the project has modules to vendor or context of its own, or no app', () => {
    expect(withCdktfJson({ app: 'node main.js', terraformModules: ['terraform-aws-modules/vpc/aws'] }, appOf)).toBeUndefined();
    expect(withCdktfJson({ app: 'node main.js', context: { excludeStackIdFromLogicalIds: 'true' } }, appOf)).toBeUndefined();
    expect(withCdktfJson({ language: 'typescript' }, appOf)).toBeUndefined();
  });
});
