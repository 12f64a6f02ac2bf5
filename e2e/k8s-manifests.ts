import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';

/**
 * Kubernetes manifests converted from the SYNTHESIZED Terraform JSON of the Kubernetes stack
 * (cdktf.out/stacks/wordpress-k8s/cdk.tf.json): the very objects the constructs render from the
 * service descriptions, as `kubectl apply -f` takes them. The baseline of the Kubernetes deploy
 * bench (e2e/k8s-deploy-bench.ts) applies these, so cdktf and kubectl create the same objects.
 *
 * The provider's schema is not the API's: its resource types map to apiVersion/kind, its
 * snake_case fields to camelCase, its singular list blocks to the API's plural fields
 * (container → containers), its one-element list blocks to objects (tcp_socket → tcpSocket),
 * integer-looking strings to numbers where the API wants an integer (or int-or-string), octal
 * modes ("0440") to numbers. Terraform-only keys are dropped; references to other resources'
 * names are resolved; `random_password` results and `random_bytes` hex become freshly generated values (the manifests
 * then hold secrets: keep them out of files that stay). Anything the converter does not know (a
 * resource type, a reference, a Terraform function) throws: nothing is guessed.
 */

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  [key: string]: unknown;
}

export interface ManifestOptions {
  /** Put every namespaced object (and the Namespace) in this namespace instead of the stack's. */
  readonly namespace?: string;
  /** Generates the value of a `random_password` (default: crypto random, its length and character set). */
  readonly randomValue?: (spec: RandomPasswordSpec) => string;
  /** Reads a file of `${file("...")}` (default: the file system). */
  readonly readFile?: (path: string) => string;
}

export interface RandomPasswordSpec {
  readonly length: number;
  readonly special?: boolean;
  readonly upper?: boolean;
  readonly lower?: boolean;
  readonly numeric?: boolean;
  readonly override_special?: string;
}

/** The random provider's types: no object of their own, their values are generated where they are used. */
const RANDOM_TYPES = new Set(['random_password', 'random_bytes']);

interface KindInfo {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Top-level provider fields that land under another name. */
  readonly topLevel?: Record<string, string>;
  /** A fixed object name (the provider's `default` ServiceAccount). */
  readonly name?: string;
}

/** Provider resource type → API type; an unknown `kubernetes_*` type (or any other type but random_password) throws. */
export const KINDS: Record<string, KindInfo> = {
  kubernetes_namespace_v1: { apiVersion: 'v1', kind: 'Namespace', namespaced: false },
  kubernetes_service_account_v1: { apiVersion: 'v1', kind: 'ServiceAccount', namespaced: true, topLevel: { secret: 'secrets', image_pull_secret: 'imagePullSecrets' } },
  kubernetes_default_service_account_v1: { apiVersion: 'v1', kind: 'ServiceAccount', namespaced: true, name: 'default', topLevel: { secret: 'secrets', image_pull_secret: 'imagePullSecrets' } },
  kubernetes_secret_v1: { apiVersion: 'v1', kind: 'Secret', namespaced: true, topLevel: { data: 'stringData', binary_data: 'data' } },
  kubernetes_config_map_v1: { apiVersion: 'v1', kind: 'ConfigMap', namespaced: true },
  kubernetes_persistent_volume_claim_v1: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespaced: true },
  kubernetes_cluster_role_v1: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', namespaced: false },
  kubernetes_cluster_role_binding_v1: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', namespaced: false },
  kubernetes_role_v1: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', namespaced: true },
  kubernetes_role_binding_v1: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', namespaced: true },
  kubernetes_network_policy_v1: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespaced: true },
  kubernetes_service_v1: { apiVersion: 'v1', kind: 'Service', namespaced: true },
  kubernetes_deployment_v1: { apiVersion: 'apps/v1', kind: 'Deployment', namespaced: true },
  kubernetes_horizontal_pod_autoscaler_v2: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', namespaced: true },
  kubernetes_pod_disruption_budget_v1: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespaced: true },
  kubernetes_ingress_v1: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespaced: true },
};

/** The order `kubectl apply -f` meets them in: what others refer to first (as Helm installs). */
const ORDER = Object.values(KINDS).map((k) => k.kind).filter((k, i, all) => all.indexOf(k) === i);

/** Terraform's meta-arguments and the provider's own behaviour switches: not part of any object. */
const TERRAFORM_ONLY = new Set([
  '//', 'lifecycle', 'depends_on', 'provider', 'count', 'for_each', 'provisioner', 'connection', 'timeouts',
  'wait_until_bound', 'wait_for_load_balancer', 'wait_for_rollout', 'wait_for_default_service_account', 'wait_for_service_account_token',
]);

/** The provider's singular list blocks → the API's plural list fields. */
const PLURAL: Record<string, string> = {
  container: 'containers', init_container: 'initContainers', volume_mount: 'volumeMounts', volume_device: 'volumeDevices', volume: 'volumes',
  sysctl: 'sysctls', toleration: 'tolerations', topology_spread_constraint: 'topologySpreadConstraints', readiness_gate: 'readinessGates',
  rule: 'rules', subject: 'subjects', metric: 'metrics', policy: 'policies', option: 'options', image_pull_secret: 'imagePullSecrets',
};
/** Singular in both when a scalar or object (a probe's port, a path), plural in the API when a list. */
const PLURAL_WHEN_LIST: Record<string, string> = { port: 'ports', path: 'paths' };

/** One-element list blocks of the provider that are single objects in the API. */
const UNWRAP = new Set([
  'metadata', 'spec', 'template', 'selector', 'strategy', 'rolling_update', 'security_context', 'capabilities', 'seccomp_profile',
  'se_linux_options', 'app_armor_profile', 'windows_options', 'resources', 'liveness_probe', 'readiness_probe', 'startup_probe',
  'tcp_socket', 'http_get', 'exec', 'grpc', 'lifecycle', 'pre_stop', 'post_start', 'projected', 'secret', 'config_map', 'downward_api',
  'service_account_token', 'cluster_trust_bundle', 'persistent_volume_claim', 'empty_dir', 'host_path', 'nfs', 'csi', 'ephemeral',
  'value_from', 'secret_key_ref', 'config_map_key_ref', 'field_ref', 'resource_field_ref', 'secret_ref', 'config_map_ref',
  'role_ref', 'scale_target_ref', 'resource', 'container_resource', 'target', 'behavior', 'scale_up', 'scale_down',
  'backend', 'default_backend', 'service', 'http', 'ip_block', 'namespace_selector', 'pod_selector', 'label_selector',
  'affinity', 'node_affinity', 'pod_affinity', 'pod_anti_affinity', 'dns_config', 'session_affinity_config', 'client_ip', 'aggregation_rule',
]);

/** snake_case names whose API spelling is not plain camelCase. */
const SPELLING: Record<string, string> = {
  cluster_ip: 'clusterIP', cluster_ips: 'clusterIPs', external_ips: 'externalIPs', load_balancer_ip: 'loadBalancerIP', client_ip: 'clientIP',
  host_ipc: 'hostIPC', host_pid: 'hostPID', non_resource_urls: 'nonResourceURLs',
};

/** API fields that are integers or int-or-string: a provider string of digits becomes a number. */
const INTEGER = new Set([
  'replicas', 'runAsUser', 'runAsGroup', 'fsGroup', 'port', 'targetPort', 'nodePort', 'containerPort', 'hostPort', 'minAvailable',
  'maxUnavailable', 'maxSurge', 'minReplicas', 'maxReplicas', 'averageUtilization', 'periodSeconds', 'timeoutSeconds', 'failureThreshold',
  'successThreshold', 'initialDelaySeconds', 'terminationGracePeriodSeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds',
  'minReadySeconds', 'activeDeadlineSeconds', 'stabilizationWindowSeconds', 'expirationSeconds',
]);
/** File modes: the provider's octal strings ("0440") → the API's integer (288). */
const OCTAL = new Set(['defaultMode', 'mode']);
/** Maps whose keys are data (label keys, file names, resource names): kept as written. */
const VERBATIM = new Set(['labels', 'annotations', 'matchLabels', 'data', 'stringData', 'binaryData', 'requests', 'limits', 'nodeSelector', 'capacity']);

const camel = (key: string) => SPELLING[key] ?? key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The API name of a provider field, given its (already converted) value. */
function apiKey(key: string, value: unknown): string {
  if (PLURAL[key]) return PLURAL[key];
  if (PLURAL_WHEN_LIST[key] && Array.isArray(value)) return PLURAL_WHEN_LIST[key];
  return camel(key);
}

const ALPHABET = { upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', lower: 'abcdefghijklmnopqrstuvwxyz', numeric: '0123456789', special: '!@#$%&*()-_=+[]{}<>:?' };

/** A value as the random provider would make one: its length, from its character classes. */
export function randomPassword(spec: RandomPasswordSpec): string {
  const chars = [
    spec.upper !== false ? ALPHABET.upper : '', spec.lower !== false ? ALPHABET.lower : '', spec.numeric !== false ? ALPHABET.numeric : '',
    spec.special !== false ? (spec.override_special ?? ALPHABET.special) : '',
  ].join('');
  if (!Number.isInteger(spec.length) || spec.length < 1 || chars === '') throw new Error(`random_password: cannot generate ${JSON.stringify(spec)}`);
  return Array.from({ length: spec.length }, () => chars[randomInt(chars.length)]).join('');
}

/** Finds the `}` closing the interpolation that starts at `start` (just after `${`); quoted strings may hold braces. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  throw new Error(`unterminated interpolation in ${JSON.stringify(text)}`);
}

/**
 * The manifests of a synthesized Kubernetes stack, in apply order (Namespace first).
 * Throws on a resource type, reference or Terraform expression it does not know.
 */
export function manifestsFromSynth(synth: TerraformJson, options: ManifestOptions = {}): KubeObject[] {
  const resources = synth.resource ?? {};
  const unknown = Object.keys(resources).filter((type) => !KINDS[type] && !RANDOM_TYPES.has(type));
  if (unknown.length) throw new Error(`k8s-manifests: unknown resource type(s) ${unknown.join(', ')}: add them to KINDS (apiVersion, kind) with their field rules`);
  const namespaces = Object.keys(resources.kubernetes_namespace_v1 ?? {});
  if (options.namespace !== undefined && namespaces.length !== 1) throw new Error(`k8s-manifests: a namespace override needs exactly one kubernetes_namespace_v1, found ${namespaces.length}`);

  const stackNamespace = namespaces.length === 1 ? (resources.kubernetes_namespace_v1[namespaces[0]].metadata as { name?: unknown } | undefined)?.name : undefined;
  const passwords = new Map<string, string>();
  const randomBytesById = new Map<string, Buffer>();
  const names = new Map<string, string>();
  const resolving = new Set<string>();
  const generate = options.randomValue ?? randomPassword;
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));

  /** The `metadata.name` of a resource as the API sees it (itself resolved). */
  function nameOf(type: string, id: string): string {
    const address = `${type}.${id}`;
    const known = names.get(address);
    if (known !== undefined) return known;
    const resource = resources[type]?.[id];
    if (!resource || !KINDS[type]) throw new Error(`k8s-manifests: reference to ${address}, which the stack does not have`);
    if (type === 'kubernetes_namespace_v1' && options.namespace !== undefined) return options.namespace;
    if (KINDS[type].name) return KINDS[type].name!;
    if (resolving.has(address)) throw new Error(`k8s-manifests: ${address} names itself`);
    resolving.add(address);
    const metadata = (Array.isArray(resource.metadata) ? resource.metadata[0] : resource.metadata) as { name?: unknown } | undefined;
    if (typeof metadata?.name !== 'string') throw new Error(`k8s-manifests: ${address} has no metadata.name`);
    const name = interpolate(metadata.name);
    names.set(address, name);
    return name;
  }

  function expression(expr: string): string {
    const reference = /^(kubernetes_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.metadata\[0\]\.name$/.exec(expr);
    if (reference) return nameOf(reference[1], reference[2]);
    const password = /^random_password\.([A-Za-z0-9_-]+)\.result$/.exec(expr);
    if (password) {
      const spec = resources.random_password?.[password[1]] as unknown as RandomPasswordSpec | undefined;
      if (!spec) throw new Error(`k8s-manifests: reference to random_password.${password[1]}, which the stack does not have`);
      if (!passwords.has(password[1])) passwords.set(password[1], generate(spec));
      return passwords.get(password[1])!;
    }
    const bytes = /^random_bytes\.([A-Za-z0-9_-]+)\.(hex|base64)$/.exec(expr);
    if (bytes) {
      const spec = resources.random_bytes?.[bytes[1]] as { length?: unknown } | undefined;
      if (!spec || !Number.isInteger(spec.length)) throw new Error(`k8s-manifests: reference to random_bytes.${bytes[1]}, which the stack does not have (or without a length)`);
      if (!randomBytesById.has(bytes[1])) randomBytesById.set(bytes[1], randomBytes(spec.length as number));
      return randomBytesById.get(bytes[1])!.toString(bytes[2] as 'hex' | 'base64');
    }
    const file = /^file\(("(?:[^"\\]|\\.)*")\)$/.exec(expr);
    if (file) return readFile(JSON.parse(file[1]) as string);
    throw new Error(`k8s-manifests: cannot resolve the Terraform expression \${${expr}}`);
  }

  /** A Terraform string template → its value: `${...}` resolved, `$${` and `%%{` unescaped. */
  function interpolate(text: string): string {
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const two = text.slice(i, i + 3);
      if (two === '$${' || two === '%%{') {
        out += `${text[i]}{`;
        i += 2;
      } else if (text.startsWith('${', i)) {
        const end = closingBrace(text, i + 2);
        out += expression(text.slice(i + 2, end).trim());
        i = end;
      } else if (text.startsWith('%{', i)) {
        throw new Error(`k8s-manifests: Terraform template directives are not supported: ${JSON.stringify(text)}`);
      } else {
        out += text[i];
      }
    }
    return out;
  }

  /** A provider value under API key `key` → the API's value (`verbatim`: inside a map of data, no field rules). */
  function convert(value: unknown, key: string, verbatim: boolean): unknown {
    if (typeof value === 'string') {
      const text = interpolate(value);
      if (!verbatim && INTEGER.has(key) && /^-?\d+$/.test(text)) return Number(text);
      if (!verbatim && OCTAL.has(key) && /^0?[0-7]+$/.test(text)) return parseInt(text, 8);
      return text;
    }
    if (Array.isArray(value)) return value.map((v) => convert(v, key, verbatim));
    if (!isObject(value)) return value;
    return convertObject(value, VERBATIM.has(key));
  }

  function convertObject(value: Record<string, unknown>, verbatimKeys: boolean, rename: Record<string, string> = {}): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [rawKey, rawValue] of Object.entries(value)) {
      if (rawValue === null || rawValue === undefined || rawKey === '//') continue;
      if (verbatimKeys) {
        out[rawKey] = convert(rawValue, rawKey, true);
        continue;
      }
      let v = rawValue;
      if (!rename[rawKey] && UNWRAP.has(rawKey) && Array.isArray(v) && v.every(isObject)) {
        if (v.length > 1) throw new Error(`k8s-manifests: ${rawKey} has ${v.length} blocks; the API has one object there`);
        if (v.length === 0) continue;
        v = v[0];
      }
      const key = rename[rawKey] ?? apiKey(rawKey, v);
      out[key] = convert(v, key, false);
    }
    return out;
  }

  const objects: KubeObject[] = [];
  for (const [type, byId] of Object.entries(resources)) {
    const info = KINDS[type];
    if (!info) continue; // random_password, random_bytes: their values are resolved where they are used
    for (const [id, resource] of Object.entries(byId)) {
      const fields = Object.fromEntries(Object.entries(resource).filter(([k]) => !TERRAFORM_ONLY.has(k)));
      const body = convertObject(fields, false, info.topLevel);
      const metadata = { ...(body.metadata as Record<string, unknown> | undefined) };
      metadata.name = nameOf(type, id);
      // A namespace written as a literal (not a reference to the stack's namespace) moves too.
      if (options.namespace !== undefined && metadata.namespace === stackNamespace) metadata.namespace = options.namespace;
      if (info.namespaced && typeof metadata.namespace !== 'string') throw new Error(`k8s-manifests: ${type}.${id} has no namespace`);
      const { metadata: _metadata, ...rest } = body;
      objects.push({ apiVersion: info.apiVersion, kind: info.kind, metadata: metadata as KubeObject['metadata'], ...rest });
    }
  }
  return objects.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
}

/** Multi-document YAML, as `kubectl apply -f` reads it. */
export function manifestYaml(objects: readonly KubeObject[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}

/** The same objects with every Secret value replaced: safe to keep in e2e-results/. */
export function redactSecrets(objects: readonly KubeObject[]): KubeObject[] {
  const hide = (data: unknown) => (isObject(data) ? Object.fromEntries(Object.keys(data).map((k) => [k, '<redacted>'])) : data);
  return objects.map((o) => (o.kind !== 'Secret' ? o : {
    ...o, ...(o.stringData ? { stringData: hide(o.stringData) } : {}), ...(o.data ? { data: hide(o.data) } : {}),
  }));
}

/** The Deployments' names, namespace by namespace: what `kubectl rollout status` waits for. */
export const deploymentsOf = (objects: readonly KubeObject[]) => objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name);
