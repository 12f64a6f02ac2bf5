import { parseHey } from '../../../e2e/lib/load';

// The end of hey's summary (Debian's hey), as it prints it: answers by status, then what got none.
const SUMMARY = `
Summary:
  Total:	30.0143 secs
  Requests/sec:	19.9638

Latency distribution:
  10% in 0.0203 secs
  50% in 0.0224 secs
  99% in 0.0481 secs

Status code distribution:
  [200]	596 responses
  [500]	1 responses

Error distribution:
  [2]	Get "http://127.0.0.1:30280/wp-admin/install.php": dial tcp 127.0.0.1:30280: connect: connection refused
  [1]	Get "http://127.0.0.1:30280/wp-admin/install.php": EOF
`;

describe('parseHey', () => {
  it('counts a non-2xx answer and every request without one as failed, and keeps what each error said', () => {
    const result = parseHey(SUMMARY);
    expect(result).toMatchObject({ requests: 600, failed: 4, statuses: { 200: 596, 500: 1 }, requestsPerSecond: 19.9638, p50Ms: 22.4, p99Ms: 48.1 });
    expect(result.errors).toEqual({
      'Get "http://127.0.0.1:30280/wp-admin/install.php": dial tcp 127.0.0.1:30280: connect: connection refused': 2,
      'Get "http://127.0.0.1:30280/wp-admin/install.php": EOF': 1,
    });
  });

  it('throws when hey sent nothing', () => {
    expect(() => parseHey('Status code distribution:\n\n')).toThrow(/hey sent no request/);
  });
});
