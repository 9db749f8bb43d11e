import {
  TerraformDataSource,
  TerraformElement,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
} from 'cdktf';
import type { Node } from 'constructs';
import { describeValue, PlatformError } from '../platform-file/errors';
import { readableLogicalId } from './private/logical-ids';

/**
 * A TerraformStack whose Terraform names come from the construct path (`group-dev/group` →
 * `azuread_group.group_dev`, `aks/cluster` → `azurerm_kubernetes_cluster.aks`) instead of cdktf's
 * hashed ones, so that plans and state addresses read like the code and survive a move away
 * from CDKTF. Extend it instead of `TerraformStack` to compose the constructs in a stack of your
 * own. Two constructs that would get the same address are refused, naming both.
 */
export class PlatformStack extends TerraformStack {
  private readonly addresses = new Map<string, string>();

  protected allocateLogicalId(element: TerraformElement | Node): string {
    const id = readableLogicalId(this, element);
    if (TerraformElement.isTerraformElement(element)) {
      const address = `${addressPrefix(element)}.${id}`;
      const path = element.node.path;
      const other = this.addresses.get(address);
      if (other !== undefined && other !== path) {
        throw new PlatformError(
          `PlatformStack(${this.node.id}): ${describeValue(other)} and ${describeValue(path)} would both be ${address} in Terraform: rename one of the constructs`,
        );
      }
      this.addresses.set(address, path);
    }
    return id;
  }
}

/** What precedes the name in the element's Terraform address (names are unique per prefix). */
function addressPrefix(element: TerraformElement): string {
  if (TerraformDataSource.isTerraformDataSource(element)) return `data.${element.terraformResourceType}`;
  if (TerraformResource.isTerraformResource(element)) return element.terraformResourceType;
  if (TerraformOutput.isTerraformOutput(element)) return 'output';
  return element.constructor.name;
}
