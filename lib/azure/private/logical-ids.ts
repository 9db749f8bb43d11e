import { TerraformElement, TerraformStack } from 'cdktf';
import type { Node } from 'constructs';

/** Leaf ids that only repeat what the resource type already says. */
const GENERIC_LEAVES = new Set([
  'release',
  'group',
  'member',
  'cluster',
  'pool',
  'helm',
  'vault',
  'identity',
  'registry',
  'setting',
]);

/**
 * Readable, stable Terraform names from the construct path (`group-dev/group` →
 * `group_dev`, `aks/cluster` → `aks`) instead of hashed ones, so that plans and state
 * addresses read like the platform file and survive a move away from CDKTF.
 */
export function readableLogicalId(stack: TerraformStack, element: TerraformElement | Node): string {
  const node = TerraformElement.isTerraformElement(element) ? element.node : element;
  const owner = TerraformElement.isTerraformElement(element) ? element.cdktfStack : stack;
  const parts = node.scopes.slice(node.scopes.indexOf(owner) + 1).map((c) => c.node.id);
  if (parts.length > 1 && GENERIC_LEAVES.has(parts[parts.length - 1])) parts.pop();
  return parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
}
