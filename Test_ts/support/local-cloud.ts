import { LocalCloud, type LocalCloudOptions } from '../../local/cloud';
import { localCredentials } from '../../local/services/aws-protocol';

export { waitFor } from './wait';

/** Starts the local cloud for a test: free ports, no console output, long AWS waits shortened. */
export function startTestCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  return LocalCloud.start({ awsPort: 0, apiPort: 0, logMode: 'quiet', timeScale: 0.01, ...options });
}

/** SDK client settings for the cloud's single AWS endpoint. */
export function clientConfig(cloud: LocalCloud) {
  return {
    endpoint: cloud.started.urls.aws,
    region: cloud.started.topology.env.region,
    credentials: localCredentials(),
  };
}

/** GET a JSON document from the cloud's inspection API. */
export async function inspect<T = Record<string, unknown>>(cloud: LocalCloud, path: string): Promise<T> {
  const response = await fetch(`${cloud.started.urls.aws}/_local${path}`);
  return (await response.json()) as T;
}
