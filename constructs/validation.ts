import { Token } from 'cdktf';

/**
 * Eager prop checks shared by every construct. Each throws an Error naming the
 * construct, the prop and the bad value. Unresolved tokens (values only known
 * at apply time) are accepted as they are.
 */

/** A bad prop value: names the construct, the prop, the value and what is expected. */
export class ValidationError extends Error {
  constructor(
    public readonly owner: string,
    public readonly prop: string,
    public readonly value: unknown,
    public readonly expected: string,
  ) {
    super(`${owner}: invalid ${prop} ${JSON.stringify(value)}: ${expected}`);
  }
}

export function fail(owner: string, prop: string, value: unknown, expected: string): never {
  throw new ValidationError(owner, prop, value, expected);
}

export function isToken(value: unknown): boolean {
  return (typeof value === 'string' || typeof value === 'number') && Token.isUnresolved(value);
}

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A Kubernetes object name / namespace / Docker name prefix: lowercase DNS-1123 label. */
export function checkDnsLabel(owner: string, prop: string, value: string, maxLength = 63): void {
  if (isToken(value)) return;
  if (typeof value !== 'string' || value.length > maxLength || !DNS_1123_LABEL.test(value)) {
    fail(owner, prop, value, `must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most ${maxLength} characters)`);
  }
}

export function checkIntegerInRange(owner: string, prop: string, value: number, min: number, max: number): void {
  if (isToken(value)) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(owner, prop, value, `must be an integer from ${min} to ${max}`);
  }
}

export function checkPort(owner: string, prop: string, value: number): void {
  checkIntegerInRange(owner, prop, value, 1, 65535);
}

/** The default Kubernetes NodePort range. */
export function checkNodePort(owner: string, prop: string, value: number): void {
  checkIntegerInRange(owner, prop, value, 30000, 32767);
}

export function checkReplicas(owner: string, prop: string, value: number): void {
  checkIntegerInRange(owner, prop, value, 1, 100);
}

// Kubernetes resource.Quantity: a decimal number with an optional binary or decimal suffix.
const QUANTITY = /^(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;

/** A Kubernetes quantity such as `1Gi`, `500Mi` or `250m`. */
export function checkQuantity(owner: string, prop: string, value: string): void {
  if (isToken(value)) return;
  if (typeof value !== 'string' || !QUANTITY.test(value)) {
    fail(owner, prop, value, "must be a Kubernetes quantity such as '1Gi', '512Mi' or '250m'");
  }
}

const QUANTITY_FACTORS: Record<string, number> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The value of a valid quantity as a plain number (`1Gi` -> 1073741824, `250m` -> 0.25). */
export function quantityValue(value: string): number {
  const match = /^([\d.]+(?:[eE][-+]?\d+)?)(\D*)$/.exec(value);
  if (!match || QUANTITY_FACTORS[match[2]] === undefined) throw new Error(`not a quantity: ${value}`);
  return Number(match[1]) * QUANTITY_FACTORS[match[2]];
}

/** `request` must not exceed `limit` (both valid quantities or tokens). */
export function checkRequestWithinLimit(owner: string, requestProp: string, request: string, limitProp: string, limit: string): void {
  if (isToken(request) || isToken(limit)) return;
  if (quantityValue(request) > quantityValue(limit)) {
    fail(owner, requestProp, request, `must not be above ${limitProp} ${JSON.stringify(limit)} (the container could never get what it requests)`);
  }
}

/** A storage size: a quantity greater than zero. */
export function checkStorageSize(owner: string, prop: string, value: string): void {
  checkQuantity(owner, prop, value);
  if (!isToken(value) && Number.parseFloat(value) <= 0) {
    fail(owner, prop, value, 'must be greater than zero');
  }
}

// [registry[:port]/]path[:tag][@digest], lowercase path components.
const IMAGE_REFERENCE =
  /^([a-zA-Z0-9.-]+(:\d+)?\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

export function checkImage(owner: string, prop: string, value: string): void {
  if (isToken(value)) return;
  if (typeof value === 'string' && value.includes('@') && !/@sha256:[a-f0-9]{64}$/.test(value)) {
    fail(owner, prop, value, "has a digest that is not 'sha256:' and 64 lowercase hex digits, e.g. 'mysql@sha256:<64 hex>' (docker inspect --format '{{index .RepoDigests 0}}' <image> prints it)");
  }
  if (typeof value !== 'string' || value.trim() === '' || !IMAGE_REFERENCE.test(value)) {
    fail(owner, prop, value, "must be a non-empty image reference such as 'mysql:8.4.6', 'registry.example.com/team/wordpress:6.8' or 'mysql@sha256:<64 hex>'");
  }
}

const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function checkIpv4(owner: string, prop: string, value: string): void {
  if (isToken(value)) return;
  if (typeof value !== 'string' || !IPV4.test(value)) {
    fail(owner, prop, value, "must be an IPv4 address such as '127.0.0.1' or '0.0.0.0'");
  }
}

// MySQL identifiers the official image's entrypoint creates unquoted.
const MYSQL_NAME = /^[A-Za-z0-9_]+$/;

export function checkMysqlName(owner: string, prop: string, value: string, maxLength: number): void {
  if (isToken(value)) return;
  if (typeof value !== 'string' || value.length > maxLength || !MYSQL_NAME.test(value)) {
    fail(owner, prop, value, `must be 1 to ${maxLength} letters, digits or '_'`);
  }
}

/** A MySQL user the app connects as: not `root`, which the official image refuses as MYSQL_USER. */
export function checkDatabaseUser(owner: string, prop: string, value: string): void {
  checkMysqlName(owner, prop, value, 32);
  if (!isToken(value) && value.toLowerCase() === 'root') {
    fail(owner, prop, value, "must not be 'root': the MySQL image creates MYSQL_USER as a second user and refuses 'root'; use an app user such as 'wordpress'");
  }
}

export function checkOneOf<T extends string>(owner: string, prop: string, value: T, allowed: readonly T[]): void {
  if (!allowed.includes(value)) {
    fail(owner, prop, value, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
}

const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes name that may contain dots (StorageClass, Secret...): DNS-1123 subdomain. */
export function checkDnsSubdomain(owner: string, prop: string, value: string): void {
  if (isToken(value)) return;
  if (typeof value !== 'string' || value.length > 253 || !DNS_1123_SUBDOMAIN.test(value)) {
    fail(owner, prop, value, "must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters)");
  }
}
