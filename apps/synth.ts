// `npm run synth`: the two apps, with the outcome of `node apps/kubernetes.ts && node
// apps/azure.ts` (the Kubernetes app speaks first; the Terraform is not written when the
// Kubernetes synth fails) and one Node.js start. With two cores or more, the Azure app runs in a
// second thread (apps/azure-thread.ts), started before anything else is loaded, while this one
// renders and checks the Kubernetes charts.
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type * as AzureSynth from '../lib/azure/synth';
import type * as Cli from '../lib/cli';
import type * as KubernetesSynth from '../lib/kubernetes/synth';
import type * as Errors from '../lib/platform-file/errors';
import { isInside } from '../lib/output/paths';
import { AZURE_DONE, FAILED, KUBERNETES, SUCCEEDED, type Outcome } from './synth-gate';

/**
 * Whether the output folders of the two apps are apart (a folder inside the other app's would be
 * replaced under it). Anything unusual (a blank setting) runs the apps one after the other, and
 * they say what is wrong.
 */
function foldersApart(env: NodeJS.ProcessEnv): boolean {
  const dir = (variable: string, fallback: string) => {
    const value = env[variable];
    if (value === undefined) return path.resolve(fallback);
    return value.trim() === '' ? undefined : path.resolve(value);
  };
  const kubernetes = [dir('CDK8S_OUTDIR', 'dist'), dir('PLATFORM_REPORTS', 'reports')];
  const terraform = dir('CDKTF_OUTDIR', 'cdktf.out');
  return (
    terraform !== undefined &&
    kubernetes.every((k) => k !== undefined && !isInside(k, terraform) && !isInside(terraform, k))
  );
}

/** The Azure thread, started: its gate and the port of its answer. */
function startAzureThread(): { gate: Int32Array; port: MessagePort; worker: Worker } {
  const gate = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(path.join(__dirname, 'azure-thread.js'), {
    workerData: { gate: gate.buffer, port: port2 },
    transferList: [port2],
  });
  return { gate, port: port1, worker };
}

/* eslint-disable @typescript-eslint/no-require-imports -- loaded after the second thread has started */
const azure = os.availableParallelism() > 1 && foldersApart(process.env) ? startAzureThread() : undefined;
const { runMain } = require('../lib/cli') as typeof Cli;
const { kubernetesAppFromEnv } = require('../lib/kubernetes/synth') as typeof KubernetesSynth;

if (!azure) {
  runMain('kubernetes', () => process.stdout.write(kubernetesAppFromEnv(process.env)));
  const { azureAppFromEnv } = require('../lib/azure/synth') as typeof AzureSynth;
  if (!process.exitCode) runMain('azure', () => process.stdout.write(azureAppFromEnv(process.env)));
} else {
  let succeeded = false;
  try {
    runMain('kubernetes', () => process.stdout.write(kubernetesAppFromEnv(process.env)));
    succeeded = !process.exitCode;
  } finally {
    // A failed Kubernetes synth, or a defect (thrown on), abandons the Terraform.
    Atomics.store(azure.gate, KUBERNETES, succeeded ? SUCCEEDED : FAILED);
    Atomics.notify(azure.gate, KUBERNETES);
  }
  Atomics.wait(azure.gate, AZURE_DONE, 0);
  const outcome = receiveMessageOnPort(azure.port)?.message as Outcome;
  void azure.worker.terminate();
  if (!process.exitCode) {
    const { PlatformError } = require('../lib/platform-file/errors') as typeof Errors;
    runMain('azure', () => {
      if ('summary' in outcome) return void process.stdout.write(outcome.summary);
      if (outcome.error.user) throw new PlatformError(outcome.error.message);
      const defect = new Error(outcome.error.message);
      defect.stack = outcome.error.stack;
      throw defect;
    });
  }
}
