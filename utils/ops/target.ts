import { OpsError } from './errors';

/** Where the ops commands send their AWS calls. */
export interface OpsTarget {
  /** Unset for AWS itself. */
  readonly endpoint?: string;
  readonly region: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export const LOCAL_ENDPOINT = 'http://127.0.0.1:4566';

/**
 * AWS (the default credential chain and region), or the local cloud with `--local`: its endpoint
 * (`--endpoint`, else port 4566), and the region it reports at `/_local/env`.
 */
export async function resolveTarget(
  options: { readonly local?: boolean; readonly endpoint?: string; readonly region?: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<OpsTarget> {
  if (!options.local && !options.endpoint) {
    const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!region) throw new OpsError('No AWS region: set AWS_REGION or pass --region, or add --local.');
    return { region };
  }
  const endpoint = (options.endpoint ?? LOCAL_ENDPOINT).replace(/\/$/, '');
  let exports: string;
  try {
    const response = await fetch(`${endpoint}/_local/env`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    exports = await response.text();
  } catch {
    throw new OpsError(`Cannot reach the local cloud at ${endpoint}: start it with npm start.`);
  }
  const region = options.region ?? /export AWS_REGION='([^']+)'/.exec(exports)?.[1] ?? 'us-east-1';
  return { endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
}

/** The SDK client settings of a target. */
export function clientConfig(target: OpsTarget) {
  return {
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(target.credentials ? { credentials: target.credentials } : {}),
    maxAttempts: 2,
  };
}
