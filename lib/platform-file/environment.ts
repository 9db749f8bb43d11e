import { PlatformError } from './errors';
import { DEFAULT_PLATFORM_FILE } from './load';

/** Environment variables, as `process.env` gives them (no dependency on Node's types). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The outputs file of the reference platform, so that its synth runs offline. */
export const EXAMPLE_OUTPUTS_FILE = 'apps/platform-outputs.example.json';

/** Which files the apps read, from PLATFORM_CONFIG and PLATFORM_OUTPUTS. */
export interface PlatformInputs {
  readonly configFile: string;
  /** The outputs file of the infra stack. @default - none applies */
  readonly outputsFile?: string;
  /**
   * Whether `configFile` is the reference platform, taken because PLATFORM_CONFIG is not set
   * (the apps say so first, so that a pipeline never deploys the demo platform unnoticed).
   * @default false
   */
  readonly referenceDefault?: boolean;
}

/**
 * The platform file and outputs file named by the environment. An unset PLATFORM_CONFIG means
 * the reference platform (with its example outputs); a set but blank one is a mistake (an unset
 * pipeline variable), never the reference platform.
 * @throws PlatformError when PLATFORM_CONFIG or PLATFORM_OUTPUTS is set but blank
 */
export function platformInputsFromEnv(env: Environment): PlatformInputs {
  const config = setting(
    env,
    'PLATFORM_CONFIG',
    `name your platform file, or unset it to synthesize the reference platform ${DEFAULT_PLATFORM_FILE}`,
  );
  const outputs = setting(env, 'PLATFORM_OUTPUTS', 'name the outputs file of the infra stack, or unset it');
  if (config === undefined)
    return {
      configFile: DEFAULT_PLATFORM_FILE,
      outputsFile: outputs ?? EXAMPLE_OUTPUTS_FILE,
      referenceDefault: true,
    };
  // The example outputs only describe the reference platform: never apply them to another file.
  return { configFile: config, outputsFile: outputs };
}

/**
 * An output folder named by the environment (CDK8S_OUTDIR, CDKTF_OUTDIR, PLATFORM_REPORTS).
 * @throws PlatformError when the variable is set but blank
 */
export function outputDirFromEnv(env: Environment, variable: string, defaultDir: string): string {
  return setting(env, variable, `name a folder, or unset it for ${defaultDir}`) ?? defaultDir;
}

function setting(env: Environment, variable: string, hint: string): string | undefined {
  const value = env[variable];
  if (value !== undefined && value.trim() === '')
    throw new PlatformError(`${variable} is set but empty (${JSON.stringify(value)}): ${hint}`);
  return value;
}
