import * as fs from 'node:fs';
import * as tty from 'node:tty';
import { PlatformError } from '../platform-file/errors';
import { describeFsError, formatBytes } from '../platform-file/input';

/**
 * Reads standard input to its end, within `maxBytes`: the rendered output of `kustomize build` or
 * `helm template` piped into the check. A terminal is refused: the check would wait for a person
 * to type manifests.
 * @throws PlatformError on a terminal, past the limit, or when standard input cannot be read
 */
export function readStandardInput(maxBytes: number, fd = 0): Buffer {
  if (tty.isatty(fd))
    throw new PlatformError(
      'the manifests to check are read from standard input (-), which is a terminal: pipe them in (kustomize build <folder> | cdk-aks-preflight --policies dist -)',
    );
  const chunks: Buffer[] = [];
  let length = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    let n: number;
    try {
      n = fs.readSync(fd, chunk, 0, chunk.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A pipe left non-blocking by the parent has no data yet: wait for it rather than fail.
      if (code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if (code === 'EOF') break;
      throw new PlatformError(`cannot read standard input: ${describeFsError(e)}`);
    }
    if (n === 0) break;
    length += n;
    if (length > maxBytes)
      throw new PlatformError(
        `standard input holds more than the limit of ${formatBytes(maxBytes)} for one file of manifests: check the rendered output in parts`,
      );
    chunks.push(chunk.subarray(0, n));
  }
  return Buffer.concat(chunks, length);
}
