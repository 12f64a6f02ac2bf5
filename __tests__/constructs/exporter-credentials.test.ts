import { Testing } from 'cdktf';
import { ExporterCredentials } from '../../constructs/exporter-credentials';

describe('ExporterCredentials', () => {
  it('generates a protected, letters-and-digits password, never a literal', () => {
    let reference = '';
    const json = Testing.synthScope((scope) => { reference = new ExporterCredentials(scope, 'exporter').password.valueFor('test'); });
    const [password] = Object.values(JSON.parse(json).resource.random_password) as Record<string, unknown>[];
    expect(password).toMatchObject({ length: 32, special: false, lifecycle: { prevent_destroy: true } });
    expect(reference).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
  });

  it('rejects a short password', () => {
    expect(() => Testing.synthScope((scope) => { new ExporterCredentials(scope, 'exporter', { passwordLength: 8 }); }))
      .toThrow(/invalid passwordLength 8: must be an integer from 16 to 128/);
  });
});
