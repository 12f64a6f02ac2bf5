import { statSync } from 'node:fs';

// Loads nothing: the cdktf matchers are set up by __tests__/helpers.ts, so the files that do not
// synthesize (lifecycle/, scripts/, ci/, preflight/) do not pay for cdktf.

// cdktf records a stack trace for every token it creates (two already while its modules load, so
// this must come first). Under jest, source-map-support maps each of those through the packages'
// inline source maps (~50 ms per test file at load alone). The token bookkeeping gets V8's plain
// traces; Errors keep their mapped ones for the project's frames. A package's frame stays as V8
// wrote it (file.js:line): mapping it meant parsing that file's inline map (cdktf's are large),
// ~1 s of the suite for the errors the toThrow tests read.
/** source-map-support leaves a frame that says it is native as it is. */
const unmapped = (frame: NodeJS.CallSite) => ({ isNative: () => true, toString: () => String(frame) });
const ownFramesMapped = (sourceMapped: NonNullable<typeof Error.prepareStackTrace>) => (error: Error, frames: NodeJS.CallSite[]) =>
  sourceMapped(error, frames.map((frame) => (frame.getFileName()?.includes('/node_modules/') ? unmapped(frame) as unknown as NodeJS.CallSite : frame)));
// Node's own errors (fs, zlib: the archive tests provoke hundreds) belong to the worker's realm,
// whose Error jest also gave source-map-support: the same for them, once per worker.
const OuterError = (() => {
  try {
    statSync('');
  } catch (error) {
    return (error as Error).constructor as ErrorConstructor;
  }
  return Error;
})();
type PrepareStackTrace = NonNullable<typeof Error.prepareStackTrace>;
const ownFramesOnly = Symbol.for('wpcdk.ownFramesMapped');
const outerPrepare = OuterError.prepareStackTrace as (PrepareStackTrace & { [ownFramesOnly]?: PrepareStackTrace }) | undefined;
// The worker's source-map-support, as jest installed it (before this file wrapped it, in the worker's first test file).
const outerMapped = outerPrepare?.[ownFramesOnly] ?? outerPrepare;
if (OuterError !== Error && outerMapped && !outerPrepare?.[ownFramesOnly]) {
  OuterError.prepareStackTrace = Object.assign(ownFramesMapped(outerMapped), { [ownFramesOnly]: outerMapped });
}

// The test file's errors are mapped by the worker's source-map-support too: jest also installs
// one in each test file, which parsed the source maps of the project's files anew in every file
// (~0.4 s of the suite); the worker's keeps each parsed map for the next files.
const sourceMapped = OuterError !== Error && outerMapped ? outerMapped : Error.prepareStackTrace;
Error.prepareStackTrace = (error, frames) =>
  error instanceof Error && sourceMapped ? ownFramesMapped(sourceMapped)(error, frames) : [String(error), ...frames.map((frame) => `    at ${frame}`)].join('\n');

// cdktf (and constructs) lift Error.stackTraceLimit to Number.MAX_SAFE_INTEGER to record where each
// token was created (tens of thousands per run). Under jest a synth's stack is ~30 frames deep, two
// thirds of them jest's own, and V8 must work out line numbers for every frame: walking and
// formatting them was ~15 % of the suite. Those traces appear only in a resolve error's "Object
// creation stack", and no test reads one: here tokens record none. WPCDK_TOKEN_TRACES=1 brings
// them back when a resolve error needs debugging. Other stack traces are not touched.
const tokenTraceFrames = process.env.WPCDK_TOKEN_TRACES ? Number.MAX_SAFE_INTEGER : 0;
const captureStackTrace = Error.captureStackTrace;
Error.captureStackTrace = (target, below) => {
  const limit = Error.stackTraceLimit;
  if (limit !== Number.MAX_SAFE_INTEGER) return captureStackTrace(target, below);
  Error.stackTraceLimit = tokenTraceFrames;
  try {
    captureStackTrace(target, below);
  } finally {
    Error.stackTraceLimit = limit;
  }
};
