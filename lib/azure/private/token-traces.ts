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
  }
}
