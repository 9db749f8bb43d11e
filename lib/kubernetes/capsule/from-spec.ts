import type { Construct } from 'constructs';
import type { PlatformSpec } from '../../spec';

/** Adds one Capsule Tenant (and the namespaces the platform creates for it) per tenants[] entry. */
export function tenantsFromSpec(
  _scope: Construct,
  _spec: PlatformSpec,
  _groupObjectIds: ReadonlyMap<string, string>,
): void {}
