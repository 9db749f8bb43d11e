// cdktf captures a full stack trace for every token it creates (each reference, each attribute
// of a list), in a plain object, to name where a token came from if it never resolves. Jest maps
// every frame of every such trace through the source maps (cdktf ships inline ones): that was
// the costliest part of the Terraform tests. Errors keep their mapped stacks; a captured trace is
// formatted the way V8 does it.
'use strict';
const mapped = Error.prepareStackTrace;
if (mapped) {
  Error.prepareStackTrace = (error, frames) =>
    Object.getPrototypeOf(error) === Object.prototype
      ? `Error${frames.map((frame) => `\n    at ${frame}`).join('')}`
      : mapped(error, frames);
}
