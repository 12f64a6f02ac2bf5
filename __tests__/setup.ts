import { Testing } from 'cdktf';

Testing.setupJest();

// cdktf records a stack trace for every token it creates. Under jest, source-map-support maps
// each of those through the packages' inline source maps (~0.3 s per test file). Errors keep
// their mapped traces; the token bookkeeping gets V8's plain ones.
const sourceMapped = Error.prepareStackTrace;
Error.prepareStackTrace = (error, frames) =>
  error instanceof Error && sourceMapped ? sourceMapped(error, frames) : [String(error), ...frames.map((frame) => `    at ${frame}`)].join('\n');
