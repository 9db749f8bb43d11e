#!/usr/bin/env node
// The folder check: any folder of manifests against the platform's Kyverno policies, as CI would
// run it before `kubectl apply`. Exit 1 when a Deny (Enforce) policy would reject an object.
import { parseArgs } from 'node:util';
import { runMain } from '../lib/cli';
import { checkFolder, formatFolderCheck, PreflightViolationError } from '../lib/preflight';
import { platformInputsFromEnv, PlatformError } from '../lib/spec';

const USAGE = `usage: preflight [--policies <file|folder>]... [--reports <folder>] [--namespace <name>] <folder>

Checks every manifest under <folder> against the platform's ValidatingPolicies.
  --policies   the platform's synthesized YAML (e.g. dist): its policies and namespaces
               (default: built from PLATFORM_CONFIG, with PLATFORM_OUTPUTS when set)
  --reports    write PolicyReports (wgpolicyk8s.io/v1alpha2) into this folder
  --namespace  namespace of objects that name none (default: default)`;

runMain('preflight', () => {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: {
        policies: { type: 'string', multiple: true },
        reports: { type: 'string' },
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

  const check = checkFolder({
    target: positionals[0],
    platformManifests: values.policies,
    platform: values.policies ? undefined : platformInputsFromEnv(process.env),
    reportsDir: values.reports,
    defaultNamespace: values.namespace,
  });
  process.stdout.write(`${formatFolderCheck(check)}\n`);
  for (const f of check.reportFiles) process.stdout.write(`wrote ${f}\n`);
  const violations = check.result.violations;
  if (violations.length > 0)
    throw new PreflightViolationError(violations, `the cluster would reject ${positionals[0]}`);
});
