import { composeContainers, stackContainers } from '../../../e2e/lib/docker-events';

describe('the containers a first-200 timing watches', () => {
  it('finds the serving container of a cdktf stack: a Docker container or a Swarm task, not another service', () => {
    const docker = stackContainers('wpcdk-p-bench', 'wordpress');
    expect(docker.servedBy.test('wpcdk-p-bench-wordpress')).toBe(true);
    expect(docker.servedBy.test('wpcdk-p-bench-wordpress-2')).toBe(false);
    expect(docker.servedBy.test('wpcdk-p-bench-mysql')).toBe(false);
    expect(docker.app.test('wpcdk-p-bench-mysql')).toBe(true);
    const swarm = stackContainers('wpcdk-e2e-swarm', 'lb');
    expect(swarm.servedBy.test('wpcdk-e2e-swarm-lb.1.k2x9')).toBe(true);
    expect(swarm.servedBy.test('wpcdk-e2e-swarm-lbx.1.k2x9')).toBe(false);
  });

  it('finds the serving container of a compose project or a docker stack deploy stack', () => {
    const compose = composeContainers('wpcdk-p-compose', 'wordpress');
    expect(compose.servedBy.test('wpcdk-p-compose_wordpress_1')).toBe(true);
    expect(compose.servedBy.test('wpcdk-p-compose_mysql_1')).toBe(false);
    expect(compose.app.test('wpcdk-p-compose_mysql_1')).toBe(true);
    expect(compose.app.test('wpcdk-p-bench-mysql')).toBe(false);
    const stack = composeContainers('wpcdk-stack-baseline', 'lb');
    expect(stack.servedBy.test('wpcdk-stack-baseline_lb.1.k2x9')).toBe(true);
    expect(stack.servedBy.test('wpcdk-stack-baseline_wordpress.1.k2x9')).toBe(false);
  });
});
