// What the two threads of `npm run synth` (apps/synth.ts, apps/azure-thread.ts) share: a gate of
// two Int32 slots in a SharedArrayBuffer, and the Azure thread's answer.

/** Slot of the Kubernetes synth's outcome, and its values. */
export const KUBERNETES = 0;
export const PENDING = 0;
export const SUCCEEDED = 1;
export const FAILED = 2;
/** Slot set to 1 once the Azure thread has answered. */
export const AZURE_DONE = 1;

/** The Azure thread's answer: its summary, or its error. */
export type Outcome =
  | { readonly summary: string }
  | { readonly error: { readonly user: boolean; readonly message: string; readonly stack?: string } };
