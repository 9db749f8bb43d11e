import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack, Testing } from 'cdktf';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { AddonsStack, InfraStack } from '../../lib/azure/stacks';
import { PlatformSpec, validatePlatform } from '../../lib/platform-file';
import { validPlatform } from '../platform-file/fixtures';

/** Synthesized Terraform JSON of one stack (validations run). */
export type TerraformJson = Record<string, any>;

/** A stack with every provider the constructs use, for construct-level tests. */
export function testStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  new AzureadProvider(stack, 'azuread', {});
  new HelmProvider(stack, 'helm', {});
  new KubernetesProvider(stack, 'kubernetes', {});
  new TlsProvider(stack, 'tls', {});
  return stack;
}

export function synth(stack: TerraformStack): TerraformJson {
  return JSON.parse(Testing.synth(stack, true));
}

/** Resources of one type, by logical id. */
export function resources(tf: TerraformJson, type: string): Record<string, any> {
  return tf.resource?.[type] ?? {};
}

/** The only resource of a type. */
export function only(tf: TerraformJson, type: string): any {
  const all = Object.values(resources(tf, type));
  expect(all).toHaveLength(1);
  return all[0];
}

/** The reference platform, optionally changed. */
export function platform(mutate?: (p: Record<string, any>) => void): PlatformSpec {
  const p = validPlatform();
  mutate?.(p);
  return validatePlatform(p, 'test');
}

export interface PlatformStacks {
  readonly app: App;
  /** Folder of the synthesized app. */
  readonly outdir: string;
  readonly infra: TerraformJson;
  readonly addons: TerraformJson;
}

/**
 * Both stacks of a platform, synthesized as the app does it: cross-stack references only
 * become remote-state reads in a whole-app synth.
 */
export function synthPlatform(spec: PlatformSpec = platform()): PlatformStacks {
  const app = Testing.app();
  const infra = new InfraStack(app, 'infra', { spec });
  new AddonsStack(app, 'addons', { spec, infra });
  app.synth();
  const outdir = app.outdir;
  const read = (stack: string) =>
    JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
  return { app, outdir, infra: read('infra'), addons: read('addons') };
}

/** Every string anywhere in a JSON value. */
export function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => allStrings(v, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      allStrings(v, out);
    }
  }
  return out;
}

/**
 * What Terraform would evaluate in a string: the `${…}` and `%{…}` sequences, read the way
 * Terraform's template scanner reads them (`$${` and `%%{` are escapes of the literal text).
 */
export function templateSequences(s: string): string[] {
  const found: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('$${', i) || s.startsWith('%%{', i)) {
      i += 3;
    } else if (s.startsWith('${', i) || s.startsWith('%{', i)) {
      let depth = 0;
      let j = i + 1;
      for (; j < s.length; j++) {
        if (s[j] === '{') depth++;
        else if (s[j] === '}' && --depth === 0) break;
      }
      found.push(s.slice(i, j + 1));
      i = j + 1;
    } else {
      i++;
    }
  }
  return found;
}

/**
 * The expressions the stacks write themselves: references to their resources and data sources,
 * the cross-stack reads, the workspace name of the remote state, and base64decode (base64encode)
 * of a reference or of a base64 literal.
 */
const OWN_EXPRESSION = new RegExp(
  '^\\$\\{(base64(de|en)code\\()?(' +
    [
      '(azurerm|azuread|helm|kubernetes|tls)_[a-z_]+\\.[A-Za-z0-9_]+(\\.[a-z0-9_]+|\\[\\d+\\])*',
      'data\\.terraform_remote_state\\.[A-Za-z0-9_-]+\\.outputs\\.[A-Za-z0-9_-]+',
      'data\\.(azurerm|azuread)_[a-z_]+\\.[A-Za-z0-9_]+(\\.[a-z0-9_]+)*',
      'terraform\\.workspace',
      '"[A-Za-z0-9+/=]*"',
    ].join('|') +
    ')\\)?\\}$',
);

/** Every template sequence of a synthesized stack that is not one of its own references. */
export function foreignTemplates(tf: TerraformJson): string[] {
  return allStrings(tf).flatMap((s) => templateSequences(s).filter((t) => !OWN_EXPRESSION.test(t)));
}
