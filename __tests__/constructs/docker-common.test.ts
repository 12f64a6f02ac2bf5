import { dockerHealthcheck, dockerLabels, dockerName, goDuration, swarmDuration } from '../../constructs/docker-common';
import { ServiceDescription } from '../../constructs/service';

const web = { name: 'web', appName: 'demo', health: { command: ['true'] } } as unknown as ServiceDescription;

describe('Docker rendering shared by containers and Swarm services', () => {
  it('renders durations the way the provider reads them back', () => {
    expect([goDuration(2), goDuration(60), goDuration(90), goDuration(300), goDuration(3661)]).toEqual(['2s', '1m0s', '1m30s', '5m0s', '1h1m1s']);
  });

  it('renders Swarm service durations shortened, as the provider reads them back', () => {
    expect([swarmDuration(0), swarmDuration(2), swarmDuration(90), swarmDuration(300), swarmDuration(3600), swarmDuration(3660)]).toEqual(['0s', '2s', '1m30s', '5m', '1h', '1h1m']);
    expect(dockerHealthcheck(web, swarmDuration).startPeriod).toBe('5m');
  });

  it('names, labels and health-checks a service', () => {
    expect(dockerName(web)).toBe('demo-web');
    expect(dockerLabels(web)).toEqual([
      { label: 'app.kubernetes.io/name', value: 'web' }, { label: 'app.kubernetes.io/part-of', value: 'demo' }, { label: 'app.kubernetes.io/managed-by', value: 'cdktf' },
    ]);
    expect(dockerHealthcheck(web)).toEqual({ test: ['CMD', 'true'], interval: '2s', timeout: '5s', retries: 3, startPeriod: '5m0s' });
  });
});
