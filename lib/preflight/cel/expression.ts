import { celEnv, isCelError, plan, type CelInput, type CelValue } from '@bufbuild/cel';
import { PlatformError } from '../../platform-file/errors';
import { policyFunctions } from './library';
import { rewriteOptionalSyntax } from './optional-syntax';
import { parseCel } from './parse';
import { rememberCompiledPatterns } from './regex-cache';

rememberCompiledPatterns();

// One environment for every expression: building it resolves the function overloads.
const environment = celEnv({ funcs: [...policyFunctions] });

/** What one evaluation gave: a value, or the reason it could not produce one. */
export type Outcome = { readonly value: CelValue } | { readonly error: string };

/** The variables an expression sees (`object`, `request`, `variables`, ...). */
export type Bindings = Record<string, CelInput>;

/** A CEL expression of a policy, parsed and planned once, evaluated many times. */
export class CelExpression {
  /**
   * @param where names the field for error messages, e.g. `ValidatingPolicy/x spec.validations[0].expression`
   * @throws PlatformError when the expression does not parse
   */
  public static compile(source: string, where: string): CelExpression {
    if (typeof source !== 'string' || source.trim() === '')
      throw new PlatformError(`${where}: expected a CEL expression, received ${JSON.stringify(source)}`);
    let run: (bindings: Bindings) => unknown;
    try {
      run = plan(environment, parseCel(rewriteOptionalSyntax(source))) as (bindings: Bindings) => unknown;
    } catch (e) {
      if (e instanceof PlatformError) throw e;
      throw new PlatformError(`${where}: the CEL expression does not compile (${firstLine(e)}): ${source}`);
    }
    return new CelExpression(source, run);
  }

  private constructor(
    public readonly source: string,
    private readonly run: (bindings: Bindings) => unknown,
  ) {}

  public evaluate(bindings: Bindings): Outcome {
    try {
      const value = this.run(bindings);
      if (isCelError(value)) return { error: value.message };
      return { value: value as CelValue };
    } catch (e) {
      return { error: firstLine(e) };
    }
  }
}

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0];
}
