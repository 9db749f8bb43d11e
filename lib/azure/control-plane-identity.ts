import { Token } from 'cdktf';
import { describeValue, PlatformError } from '../platform-file/errors';

const IDENTITY_ID =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i;

/** The managed identity the AKS control plane acts as (creating load balancers, disks...). */
export class ControlPlaneIdentity {
  /** An identity Azure creates with the cluster and deletes with it. */
  public static systemAssigned(): ControlPlaneIdentity {
    return new ControlPlaneIdentity(false, undefined);
  }

  /**
   * A user-assigned identity created beside the cluster (`<cluster name>-identity`): it outlives
   * a cluster rebuild, and roles can be granted to it before the cluster exists.
   */
  public static userAssigned(): ControlPlaneIdentity {
    return new ControlPlaneIdentity(true, undefined);
  }

  /** An existing user-assigned identity, by resource id. */
  public static fromUserAssignedIdentityId(identityId: string): ControlPlaneIdentity {
    if (!Token.isUnresolved(identityId) && !IDENTITY_ID.test(identityId)) {
      throw new PlatformError(
        `ControlPlaneIdentity.fromUserAssignedIdentityId: must be the resource id of a user-assigned identity (/subscriptions/.../providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>), got ${describeValue(identityId)}`,
      );
    }
    return new ControlPlaneIdentity(true, identityId);
  }

  private constructor(
    /** true for a user-assigned identity. */
    public readonly isUserAssigned: boolean,
    /** Resource id of an existing identity; undefined when the cluster creates or owns it. */
    public readonly identityId: string | undefined,
  ) {}
}
