// cdktf calls its trace capture through this module's exports (a private module of cdktf 0.21;
// test/azure/token-traces.test.ts fails if it moves).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the exports object itself, to swap one function
import stackTraces = require('cdktf/lib/tokens/private/stack-trace');

/**
 * Runs `build` with cdktf's token creation traces left empty. cdktf formats a full stack trace
 * for every token it creates (the timeouts object of each typed resource, each function call),
 * only to print it should the token later fail to resolve: on a platform of 1,000 tenants,
 * formatting those traces, and collecting the strings they keep, cost about as much as reading
 * and validating the platform file. cdktf captures them into plain objects; errors are
 * formatted as before (by the previous handler, or the way Node.js does by default). Annotations
 * (a warning of cdktf's) then carry no trace in manifest.json either, as with cdktf's own
 * `@cdktf/disable_stack_trace_in_metadata` context.
 */
export function withoutTokenTraces<T>(build: () => T): T {
  // No frames collected at all for cdktf's own captures (collecting them was half the cost of
  // building a role assignment)...
  const traces = stackTraces as { captureStackTrace: (below?: unknown) => string[] };
  const capture = traces.captureStackTrace;
  traces.captureStackTrace = () => [];
  // ...and any other capture into a plain object left unformatted.
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (target: Error, frames: NodeJS.CallSite[]): unknown => {
    if (Object.getPrototypeOf(target) === Object.prototype) return '';
    if (previous) return previous(target, frames);
    const text = Error.prototype.toString.call(target);
    return frames.length === 0 ? text : `${text}\n    at ${frames.join('\n    at ')}`;
  };
  try {
    return build();
  } finally {
    Error.prepareStackTrace = previous;
    traces.captureStackTrace = capture;
  }
}
