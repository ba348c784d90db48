import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { LocalCloud } from '../../../local/cloud';
import type { SandboxCall } from '../../../local/providers';
import { ConnectorFixtureStack } from '../../fixtures/local-cloud/connector-stack';
import { clientConfig, startTestCloud } from '../../support/local-cloud';

// A function using the payment connector, deployed to the local cloud: its credentials secret holds
// the payment sandbox's key and its PAYMENT_BASE_URL points at the sandbox, so a Lambda Invoke makes
// one charge there, over HTTP, with nothing in the function changed.

let cloud: LocalCloud;
let lambda: LambdaClient;
let secrets: SecretsManagerClient;
let functionName: string;
let secretArn: string;

beforeAll(async () => {
  cloud = await startTestCloud({ build: (app) => new ConnectorFixtureStack(app, 'Connectors') });
  lambda = new LambdaClient(clientConfig(cloud));
  secrets = new SecretsManagerClient(clientConfig(cloud));
  const { functions, secrets: specs } = cloud.started.topology;
  functionName = functions.find((fn) => fn.logicalId.startsWith('Charge'))?.name ?? '';
  secretArn = specs.find((spec) => spec.logicalId.startsWith('PaymentCredentials'))?.arn ?? '';
}, 90_000);

afterAll(async () => {
  lambda?.destroy();
  secrets?.destroy();
  await cloud?.stop();
});

async function charge(orderId: string) {
  const answer = await lambda.send(
    new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify({ orderId, amount: 4200 }) }),
  );
  return { error: answer.FunctionError, payload: JSON.parse(Buffer.from(answer.Payload ?? []).toString()) };
}

async function sandboxCalls(): Promise<SandboxCall[]> {
  const response = await fetch(`${cloud.started.providers.payment.url}/_sandbox/calls`);
  return ((await response.json()) as { calls: SandboxCall[] }).calls;
}

describe('a connector in the local cloud', () => {
  it("reads the payment sandbox's key from its credentials secret", async () => {
    const value = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
    expect(JSON.parse(value.SecretString ?? '')).toEqual({
      api_key: cloud.started.providerCredentials.payment,
    });
  });

  it('calls the sandbox instead of the provider: PAYMENT_BASE_URL is the sandbox URL', async () => {
    const configuration = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: functionName }),
    );
    expect(configuration.Environment?.Variables).toMatchObject({
      PAYMENT_BASE_URL: cloud.started.providers.payment.url,
      PAYMENT_SECRET_ID: secretArn,
    });
  });

  it('charges tok_visa once at the payment sandbox when the function is invoked', async () => {
    const { error, payload } = await charge('ord-connector-it-1');
    expect(error).toBeUndefined();
    expect(payload).toMatchObject({ status: 'succeeded', amount: 4200, attempts: 1 });
    const calls = (await sandboxCalls()).filter(
      (call) => call.idempotencyKey === 'ord-connector-it-1:charge',
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      method: 'POST',
      path: '/v1/charges',
      status: 200,
      requestBody: {
        amount: 4200,
        currency: 'eur',
        source: 'tok_visa',
        metadata: { order_id: 'ord-connector-it-1' },
      },
      responseBody: { id: payload.chargeId, status: 'succeeded' },
    });
  });
});

describe('rotating the connector credentials', () => {
  const rotate = (apiKey: string) =>
    secrets.send(
      new PutSecretValueCommand({ SecretId: secretArn, SecretString: JSON.stringify({ api_key: apiKey }) }),
    );
  const statusWith = async (apiKey: string) => {
    const response = await fetch(`${cloud.started.providers.payment.url}/v1/charges/ch_none`, {
      headers: { Authorization: `Bearer ${apiKey}` },
    });
    return response.status;
  };

  it('moves the sandbox to the new key; the function follows on its first refusal', async () => {
    const first = cloud.started.providerCredentials.payment;
    expect((await charge('ord-rotation-it-1')).error).toBeUndefined();

    await rotate('sk_local_rotated_1');
    // The previous key still works while the rotation is under way: the warm function keeps its cached key.
    expect([await statusWith('sk_local_rotated_1'), await statusWith(first)]).toEqual([404, 404]);
    expect((await charge('ord-rotation-it-2')).payload).toMatchObject({ status: 'succeeded', attempts: 1 });

    await rotate('sk_local_rotated_2');
    expect([await statusWith('sk_local_rotated_2'), await statusWith(first)]).toEqual([404, 401]);
    const { error, payload } = await charge('ord-rotation-it-3');
    expect(error).toBeUndefined();
    expect(payload).toMatchObject({ status: 'succeeded' });
    const calls = (await sandboxCalls()).filter((call) => call.idempotencyKey === 'ord-rotation-it-3:charge');
    expect(calls.map((call) => call.status)).toEqual([401, 200]);
  });
});
