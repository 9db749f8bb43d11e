import { Construct } from 'constructs';
import { MonitorDataCollectionEndpoint } from '@cdktf/provider-azurerm/lib/monitor-data-collection-endpoint';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule';
import { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association';
import { MonitorWorkspace } from '@cdktf/provider-azurerm/lib/monitor-workspace';
import { describeValue, PlatformError } from '../platform-file/errors';
import { terraformText } from './private/terraform-text';

/** Properties of {@link ManagedPrometheus}. */
export interface ManagedPrometheusProps {
  /** Name of the cluster (the Azure resource names derive from it). */
  readonly clusterName: string;
  /** The cluster whose metrics are collected. */
  readonly clusterId: string;
  /** Azure region. */
  readonly location: string;
  /** Resource group of the workspace and the collection rule. */
  readonly resourceGroupName: string;
}

const STREAM = 'Microsoft-PrometheusMetrics';
const DESTINATION = 'MonitoringAccount';

/**
 * Azure Monitor managed Prometheus for a cluster whose `monitor_metrics` profile is on: an Azure
 * Monitor workspace, the data collection endpoint and rule that forward the metrics agent's
 * Prometheus stream to it, and the rule's association with the cluster (without which the agent
 * ships nothing).
 */
export class ManagedPrometheus extends Construct {
  public readonly workspace: MonitorWorkspace;
  public readonly rule: MonitorDataCollectionRule;

  constructor(scope: Construct, id: string, props: ManagedPrometheusProps) {
    super(scope, id);
    if (!/^[a-zA-Z0-9][a-zA-Z0-9-]{0,52}[a-zA-Z0-9]$/.test(props.clusterName)) {
      throw new PlatformError(
        `ManagedPrometheus(${id}).clusterName must be an AKS cluster name (letters, digits and '-'), got ${describeValue(props.clusterName)}`,
      );
    }
    const location = terraformText(props.location);
    const resourceGroupName = terraformText(props.resourceGroupName);
    // The prefix the portal gives, cut to the 44 characters an endpoint name allows.
    const name = azureName(`MSProm-${props.clusterName}`, 44);
    this.workspace = new MonitorWorkspace(this, 'workspace', {
      name: azureName(`${props.clusterName}-prometheus`, 44),
      location,
      resourceGroupName,
    });
    const endpoint = new MonitorDataCollectionEndpoint(this, 'endpoint', {
      name,
      location,
      resourceGroupName,
      kind: 'Linux',
    });
    this.rule = new MonitorDataCollectionRule(this, 'rule', {
      name,
      location,
      resourceGroupName,
      kind: 'Linux',
      description: 'Managed Prometheus of the AKS cluster',
      dataCollectionEndpointId: endpoint.id,
      destinations: { monitorAccount: [{ monitorAccountId: this.workspace.id, name: DESTINATION }] },
      dataFlow: [{ streams: [STREAM], destinations: [DESTINATION] }],
      dataSources: { prometheusForwarder: [{ name: 'PrometheusDataSource', streams: [STREAM] }] },
    });
    new MonitorDataCollectionRuleAssociation(this, 'association', {
      name,
      targetResourceId: terraformText(props.clusterId),
      dataCollectionRuleId: this.rule.id,
    });
  }
}

/** At most `max` characters, never ending on '-'. */
function azureName(name: string, max: number): string {
  return name.slice(0, max).replace(/-+$/, '');
}
