import { RemovalPolicy, Tags } from 'aws-cdk-lib';
import type { Method } from 'aws-cdk-lib/aws-apigateway';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { IntegrationFunction } from '../compute/integration-function';
import type { IntegrationApi } from './integration-api';

/** The route every provider posts its webhooks to; `{provider}` names it. */
export const WEBHOOK_ROUTE = '/v1/webhooks/{provider}';
/** Tags on each signing secret: which provider signs with it, and the path it posts to (read by the local cloud). */
export const WEBHOOK_PROVIDER_TAG = 'junction:webhook-provider';
export const WEBHOOK_PATH_TAG = 'junction:webhook-path';

const PROVIDER_NAME = /^[a-z][a-z0-9]*$/;

export interface WebhookEndpointProps {
  readonly api: IntegrationApi;
  /** Receives every provider's webhooks; gets each secret's ARN in `<PROVIDER>_WEBHOOK_SECRET_ARN`. */
  readonly handler: IntegrationFunction;
  /** The providers that send webhooks, as named in the path: lower-case letters and digits. */
  readonly providers: readonly string[];
  /** What happens to the signing secrets when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

function checkProviders(providers: readonly string[]): void {
  if (providers.length === 0) throw new Error('providers must name at least one provider');
  const repeated = providers.find((name, index) => providers.indexOf(name) !== index);
  if (repeated !== undefined) throw new Error(`providers must not repeat a name: ${repeated}`);
  for (const name of providers) {
    if (!PROVIDER_NAME.test(name)) throw new Error(`provider "${name}" must match ${PROVIDER_NAME.source}`);
  }
}

/**
 * Inbound webhooks: `POST /v1/webhooks/{provider}` on the API, and a signing secret per provider
 * in Secrets Manager that only the handler may read. The route has no authorizer and no API key:
 * providers cannot send either, so the handler's signature check is the authentication (the WAF
 * and the stage throttle still apply). Each secret starts as a random value; set it to the one the
 * provider issues (`put-secret-value`), and the previous value keeps working while that settles.
 */
export class WebhookEndpoint extends Construct {
  readonly secrets: Readonly<Record<string, Secret>>;
  readonly method: Method;
  private readonly api: IntegrationApi;

  constructor(scope: Construct, id: string, props: WebhookEndpointProps) {
    super(scope, id);
    this.api = props.api;
    checkProviders(props.providers);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.secrets = Object.fromEntries(
      props.providers.map((provider) => [provider, this.addSecret(provider, props.handler, removalPolicy)]),
    );
    props.api.addRoute({
      method: 'POST',
      path: WEBHOOK_ROUTE,
      handler: props.handler,
      apiKeyRequired: false,
    });
    this.method = props.api.restApi.root.resourceForPath(WEBHOOK_ROUTE).node.findChild('POST') as Method;
  }

  /** The URL to register at the provider. */
  urlOf(provider: string): string {
    if (!this.secrets[provider]) throw new Error(`No webhook provider ${provider}`);
    return `${this.api.url}${WEBHOOK_ROUTE.slice(1).replace('{provider}', provider)}`;
  }

  private addSecret(provider: string, handler: IntegrationFunction, removalPolicy: RemovalPolicy): Secret {
    const secret = new Secret(this, `${provider[0]?.toUpperCase()}${provider.slice(1)}SigningSecret`, {
      description: `Signing secret of the ${provider} webhooks: set it to the value the provider issues`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy,
    });
    Tags.of(secret).add(WEBHOOK_PROVIDER_TAG, provider);
    Tags.of(secret).add(WEBHOOK_PATH_TAG, WEBHOOK_ROUTE.replace('{provider}', provider));
    handler.setVariable(`${provider.toUpperCase()}_WEBHOOK_SECRET_ARN`, secret.secretArn);
    secret.grantRead(handler);
    return secret;
  }
}
