// The Azure app as the second thread of `npm run synth` (apps/synth.ts): it stages the stacks,
// waits for the Kubernetes synth's outcome, puts them in place only when that succeeded, and
// sends back its summary or its error. It loads the Azure app's modules only.
import { workerData, type MessagePort } from 'node:worker_threads';
import type * as AzureSynth from '../lib/azure/synth';
import type * as Errors from '../lib/platform-file/errors';
import { AZURE_DONE, KUBERNETES, PENDING, SUCCEEDED, type Outcome } from './synth-gate';

const { gate: buffer, port } = workerData as { gate: SharedArrayBuffer; port: MessagePort };
const gate = new Int32Array(buffer);

/** Thrown here when the Kubernetes synth failed: the staged stacks are dropped. */
class Abandoned extends Error {}

let outcome: Outcome | undefined;
let platformError: typeof Errors.PlatformError | undefined;
try {
  // Loaded here: whatever fails, the main thread gets an answer.
  /* eslint-disable @typescript-eslint/no-require-imports */
  platformError = (require('../lib/platform-file/errors') as typeof Errors).PlatformError;
  const { azureAppFromEnv } = require('../lib/azure/synth') as typeof AzureSynth;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const summary = azureAppFromEnv(process.env, {
    beforeCommit: () => {
      Atomics.wait(gate, KUBERNETES, PENDING);
      if (Atomics.load(gate, KUBERNETES) !== SUCCEEDED) throw new Abandoned('the Kubernetes synth failed');
    },
  });
  outcome = { summary };
} catch (e) {
  const error = e instanceof Error ? e : new Error(String(e));
  const user = platformError !== undefined && e instanceof platformError;
  outcome = { error: { user, message: error.message, stack: error.stack } };
} finally {
  // Always answered: the main thread waits for it.
  port.postMessage(outcome);
  Atomics.store(gate, AZURE_DONE, 1);
  Atomics.notify(gate, AZURE_DONE);
}
