import { Construct } from 'constructs';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule';
import { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association';
import { terraformText } from './private/terraform-text';

/** Properties of {@link ContainerInsights}. */
export interface ContainerInsightsProps {
  /** Name of the data collection rule. */
  readonly name: string;
  /** Azure region. */
  readonly location: string;
  /** Resource group of the rule. */
  readonly resourceGroupName: string;
  /** The Log Analytics workspace that receives the data. */
  readonly workspaceId: string;
  /** The cluster whose containers are observed. */
  readonly clusterId: string;
}

const STREAM = 'Microsoft-ContainerInsights-Group-Default';
const DESTINATION = 'workspace';

/**
 * The data collection rule of Container Insights and its association with the cluster. With
 * managed-identity authentication (no workspace keys) the monitoring add-on ships nothing until
 * a rule is associated; the az CLI creates it, Terraform does not.
 */
export class ContainerInsights extends Construct {
  public readonly rule: MonitorDataCollectionRule;

  constructor(scope: Construct, id: string, props: ContainerInsightsProps) {
    super(scope, id);
    this.rule = new MonitorDataCollectionRule(this, 'rule', {
      name: terraformText(props.name),
      location: terraformText(props.location),
      resourceGroupName: terraformText(props.resourceGroupName),
      description: 'Container Insights of the AKS cluster',
      destinations: {
        logAnalytics: [{ name: DESTINATION, workspaceResourceId: terraformText(props.workspaceId) }],
      },
      dataFlow: [{ streams: [STREAM], destinations: [DESTINATION] }],
      dataSources: {
        extension: [
          {
            name: 'ContainerInsightsExtension',
            extensionName: 'ContainerInsights',
            streams: [STREAM],
            extensionJson: JSON.stringify({
              dataCollectionSettings: {
                interval: '1m',
                namespaceFilteringMode: 'Off',
                enableContainerLogV2: true,
              },
            }),
          },
        ],
      },
    });
    new MonitorDataCollectionRuleAssociation(this, 'association', {
      name: 'ContainerInsightsExtension',
      targetResourceId: terraformText(props.clusterId),
      dataCollectionRuleId: this.rule.id,
    });
  }
}
