import type { Construct } from 'constructs';
import type { PlatformSpec } from '../../spec';

/** Adds the hardened workloads of workloads[]. */
export function workloadsFromSpec(_scope: Construct, _spec: PlatformSpec): void {}
