import { Testing } from 'cdktf';
import { CadvisorDocker } from '../../constructs/cadvisor-docker';
import { containerNamed } from '../helpers';

describe('CadvisorDocker', () => {
  const json = Testing.synthScope((scope) => { new CadvisorDocker(scope, 'cadvisor', { appName: 'blog' }); });
  const container = containerNamed(json, 'blog-cadvisor');

  it('reads the host\'s cgroups, the engine\'s state and socket, read-only, and publishes nothing', () => {
    expect(container.volumes).toEqual([
      { host_path: '/sys', container_path: '/sys', read_only: true },
      { host_path: '/var/run/docker.sock', container_path: '/var/run/docker.sock', read_only: true },
      { host_path: '/var/lib/docker', container_path: '/var/lib/docker', read_only: true },
    ]);
    expect(container.ports).toBeUndefined();
    expect(container.capabilities).toEqual({ drop: ['ALL'], add: [] });
  });

  it('reports Docker containers with the two app labels', () => {
    expect(container.command).toEqual(expect.arrayContaining(['--docker_only=true', '--store_container_labels=false',
      '--whitelisted_container_labels=app.kubernetes.io/name,app.kubernetes.io/part-of']));
    expect(container.image).toMatch(/docker_image/);
  });
});
