import { kubectlOptions, serviceDescriptions } from '../../lifecycle/containers';
import { DeployedStack } from '../../lifecycle/stack';

test('serviceDescriptions names the services as the constructs do', () => {
  const { mysql, wordpress } = serviceDescriptions('blog');
  expect([mysql.name, mysql.appName, wordpress.name, wordpress.appName]).toEqual(['mysql', 'blog', 'wordpress', 'blog']);
});

test('kubectlOptions pass the kubeconfig, the context when set, and the namespace', () => {
  const stack = (config: object) => ({ config: { kubeconfig: '/k', namespace: 'ns', sources: {}, ...config } }) as unknown as DeployedStack;
  expect(kubectlOptions(stack({}))).toEqual(['--kubeconfig', '/k', '--namespace', 'ns']);
  expect(kubectlOptions(stack({ kubeContext: 'kind-x' }))).toEqual(['--kubeconfig', '/k', '--context', 'kind-x', '--namespace', 'ns']);
});
