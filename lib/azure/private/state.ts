import * as path from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';

/**
 * Keeps each stack's local state at the project root (`terraform.<stack>.tfstate`, where
 * cdktf puts it by default) but writes the path relative to the stack's folder: the default
 * is an absolute path of the machine that ran the synth, which breaks a deploy elsewhere and
 * leaks that machine's layout into the output. Cross-stack reads use the same path, from a
 * sibling folder at the same depth.
 */
export function useLocalStateAtProjectRoot(stack: TerraformStack): void {
  const stackDir = path.resolve(App.of(stack).outdir, 'stacks', stack.node.id);
  const state = path.resolve(`terraform.${stack.node.id}.tfstate`);
  new LocalBackend(stack, { path: path.relative(stackDir, state).split(path.sep).join('/') });
}
