import { DEFAULT_PLATFORM_FILE } from './load';

/** The outputs file of the reference platform, so that its synth runs offline. */
export const EXAMPLE_OUTPUTS_FILE = 'apps/platform-outputs.example.json';

/** Which files the apps read, from PLATFORM_CONFIG and PLATFORM_OUTPUTS. */
export interface PlatformInputs {
  readonly configFile: string;
  /** The outputs file of the infra stack. @default - none applies */
  readonly outputsFile?: string;
}

export function platformInputsFromEnv(env: Readonly<Record<string, string | undefined>>): PlatformInputs {
  const configFile = env.PLATFORM_CONFIG || DEFAULT_PLATFORM_FILE;
  // The example outputs only describe the reference platform: never apply them to another file.
  const outputsFile = env.PLATFORM_OUTPUTS || (env.PLATFORM_CONFIG ? undefined : EXAMPLE_OUTPUTS_FILE);
  return { configFile, outputsFile };
}
