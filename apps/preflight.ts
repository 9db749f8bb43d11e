#!/usr/bin/env node
// The folder check: any folder of manifests against the platform's Kyverno policies, as CI would
// run it before `kubectl apply`. Exit 1 when a Deny (Enforce) policy would reject an object, or
// when the check cannot judge (no policy, nothing judged): a gate that cannot judge must fail.
import { parseArgs } from 'node:util';
import { runMain } from '../lib/cli';
import { checkFolder, formatFolderCheck, formatSkipped, parseReportOutput } from '../lib/preflight';
import { platformInputsFromEnv, PlatformError } from '../lib/platform-file';

const USAGE = `usage: preflight [--policies <file|folder>]... [--exception-namespace <name>]
                 [--reports <folder>] [--format <format>=<file>]... [--source-root <folder>]
                 [--namespace <name>] <folder|file|->

Checks every manifest under <folder> (- reads standard input: kustomize build | preflight ... -)
against the platform's ValidatingPolicies. Exits 1 when a Deny policy would reject an object, when
the check cannot judge (no policy, no object), or when a source must be rendered first (a
kustomization, a Helm chart or template: everything else is judged and reported).
  --policies             the platform's synthesized YAML (e.g. dist): its policies, namespaces
                         and PolicyExceptions (default: built from PLATFORM_CONFIG, with
                         PLATFORM_OUTPUTS when set)
  --exception-namespace  the only namespace whose PolicyExceptions Kyverno honours (the
                         platform's kyverno.exceptionNamespace); required when --policies
                         holds PolicyExceptions
  --reports              write PolicyReports (wgpolicyk8s.io/v1alpha2) into this folder,
                         outside <folder> and the --policies folders
  --format               also write a report: sarif=<file> (GitHub code scanning),
                         junit=<file> (Azure DevOps, GitLab, Jenkins test results),
                         markdown=<file> (e.g. markdown=$GITHUB_STEP_SUMMARY); repeatable;
                         each file is replaced whole, outside <folder> and --policies
  --source-root          the folder SARIF file URIs are relative to: the repository root
                         (default: the working directory)
  --namespace            namespace of objects that name none (default: default)`;

/**
 * The command, on its arguments (without the program name) and environment.
 * @throws PlatformError for a usage error, input it cannot judge, or objects the cluster would reject
 */
export function preflightCommand(args: string[], env: NodeJS.ProcessEnv): void {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        policies: { type: 'string', multiple: true },
        'exception-namespace': { type: 'string' },
        reports: { type: 'string' },
        format: { type: 'string', multiple: true },
        'source-root': { type: 'string' },
        namespace: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new PlatformError(`${(e as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length !== 1)
    throw new PlatformError(`expected one folder, received ${positionals.length}\n${USAGE}`);

  const reports = (values.format ?? []).map(parseReportOutput);
  const check = checkFolder({
    target: positionals[0],
    platformManifests: values.policies,
    platform: values.policies ? undefined : platformInputsFromEnv(env),
    exceptionNamespace: values['exception-namespace'],
    reportsDir: values.reports,
    defaultNamespace: values.namespace,
    reports,
    sourceRoot: values['source-root'],
  });
  process.stdout.write(`${formatFolderCheck(check)}\n`);
  for (const f of [...check.reportFiles, ...check.formatFiles]) process.stdout.write(`wrote ${f}\n`);
  // The DENY lines above are the violations: stderr only says why the exit code is 1.
  const denied = check.result.violations.length;
  const reasons: string[] = [];
  if (denied > 0)
    reasons.push(
      `${denied === 1 ? '1 violation' : `${denied} violations`} of Enforce (Deny) policies; the cluster would reject ${positionals[0]} (the DENY lines above)`,
    );
  if (check.unrendered.length > 0)
    reasons.push(
      [
        `${check.unrendered.length === 1 ? '1 source must be rendered before it' : `${check.unrendered.length} sources must be rendered before they`} can be checked; the rest was judged:`,
        ...check.unrendered.map((s) => `  - ${formatSkipped(s)}`),
        'Render them in the pipeline and check the output (kustomize build <folder> | cdk-aks-preflight --policies dist -; helm template <release> <chart> -f <values> > rendered.yaml).',
      ].join('\n'),
    );
  if (reasons.length > 0) throw new PlatformError(reasons.join('\n'));
}

if (require.main === module) runMain('preflight', () => preflightCommand(process.argv.slice(2), process.env));
