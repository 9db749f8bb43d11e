import { stringify } from 'yaml';
import { terraformText } from './terraform-text';

/**
 * Chart values as one YAML document. One document (not `set` entries) keeps the values
 * readable in the plan and checkable against the chart's values schema; no line folding, so
 * Terraform references embedded in strings stay whole. Every other `${` or `%{` in the values
 * is escaped: the document is a Terraform string, and the values carry text from the props.
 */
export function valuesYaml(values: object): string {
  return terraformText(stringify(values, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false }));
}

/**
 * Spreads a controller's pods over zones. Without a label selector a constraint matches no
 * pod and spreads nothing; ScheduleAnyway keeps pods schedulable when a zone is full or gone.
 */
export function zoneSpread(matchLabels: Record<string, string>): object[] {
  return [
    {
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels },
    },
  ];
}

/** A PodDisruptionBudget keeping one pod of a replicated controller through node drains. */
export function podDisruptionBudget(name: string, matchLabels: Record<string, string>): object {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name },
    spec: { minAvailable: 1, selector: { matchLabels } },
  };
}
