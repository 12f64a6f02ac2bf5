// No imports: the app-command test (main.test.ts) uses it without loading any construct.

/** Every value stored under a password-ish name: env `KEY=value` strings and object keys. */
export function passwordValues(node: unknown, found: string[] = []): string[] {
  if (typeof node === 'string') {
    const match = /^[A-Z_]*PASSWORD[A-Z_]*=(.*)$/.exec(node);
    if (match) found.push(match[1]);
  } else if (Array.isArray(node)) {
    node.forEach((item) => passwordValues(item, found));
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (/password/i.test(key) && typeof value === 'string') found.push(value);
      else passwordValues(value, found);
    }
  }
  return found;
}
