import type { Parts } from './cloud';

const seconds = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(1)} s`;

/** What `npm start` prints once the stack is up: endpoints, resources, and commands to try it. */
export function renderBanner(parts: Parts): string {
  const { topology, urls } = parts;
  const api = topology.restApis[0];
  const rules = topology.rules.length;
  const notEmulated = [...topology.notEmulated].map(([type, count]) => `${type} (${count})`).join(', ');
  const lines = [
    '',
    `Junction local cloud: ${topology.env.stackName} ready in ${seconds(parts.readyMs)} (synth ${seconds(parts.synthMs)})`,
    '',
    `  AWS endpoint    ${urls.aws}   (AWS_ENDPOINT_URL, or aws --endpoint-url)`,
    `  API             ${urls.apiStage}`,
    `  Token endpoint  ${urls.token}   (client credentials)`,
    `  Inspection      ${urls.aws}/_local`,
    `  Providers       ${parts.providers
      .all()
      .map((provider) => `${provider.name} ${provider.url}`)
      .join(', ')}`,
    '',
    `  Running: ${topology.functions.length} functions, ${topology.queues.length} queues, ${topology.tables.length} tables, ` +
      `${topology.buses.length} buses with ${rules} rules and ${topology.archives.length} archives, ${topology.stateMachines.length} state machines, ` +
      `${topology.restApis.length} REST API with ${api?.methods.length ?? 0} methods`,
    `  Not emulated: ${notEmulated || 'nothing'}`,
    '',
    '  Try it:',
    `    eval "$(curl -s ${urls.aws}/_local/env)"`,
    `    TOKEN=$(curl -s -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials "$TOKEN_URL" | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
    `    curl -s "$API_URL/v1/orders" -H "Authorization: Bearer $TOKEN" -H "x-api-key: $API_KEY" -H 'Content-Type: application/json' -H "Idempotency-Key: order-$(date +%s)" -d @events/api/post-order.json`,
    `    curl -s ${urls.aws}/_local/events      # the order.created event and where it went`,
    `    curl -s ${urls.aws}/_local/queues      # queues, DLQs and the consumer`,
    '',
    '  Ctrl-C stops everything.',
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/** The banner's facts as one JSON line, for `--json` (scripts wait for `"event":"ready"`). */
export function readyRecord(parts: Parts): Record<string, unknown> {
  const { topology, urls } = parts;
  return {
    time: new Date().toISOString(),
    event: 'ready',
    stack: topology.env.stackName,
    readyMs: Math.round(parts.readyMs ?? 0),
    synthMs: Math.round(parts.synthMs),
    awsEndpoint: urls.aws,
    api: urls.apiStage,
    tokenEndpoint: urls.token,
    providers: Object.fromEntries(parts.providers.all().map((provider) => [provider.name, provider.url])),
    notEmulated: Object.fromEntries(topology.notEmulated),
  };
}
