import { randomInt, randomUUID } from 'node:crypto';
import type { SecretSpec } from '../template/topology-secrets';
import { AwsError, jsonService, type ServiceHandler } from './aws-protocol';

const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';

type SecretValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'binary'; readonly value: Buffer };

interface SecretVersion {
  readonly id: string;
  readonly value: SecretValue;
  readonly created: Date;
  readonly stages: Set<string>;
}

interface StoredSecret {
  readonly spec: SecretSpec;
  readonly created: Date;
  lastChanged: Date;
  readonly versions: Map<string, SecretVersion>;
}

export interface SecretsManagerServiceOptions {
  /** The template's secrets; each starts with one version, AWSCURRENT, holding its value. */
  readonly secrets: readonly SecretSpec[];
  readonly region: string;
  readonly now?: () => Date;
}

const notFound = (message = "Secrets Manager can't find the specified secret.") =>
  new AwsError('ResourceNotFoundException', message);
const invalid = (message: string) => new AwsError('InvalidParameterException', message);
const epochSeconds = (date: Date) => date.getTime() / 1000;

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/**
 * A random value as CloudFormation's `GenerateSecretString` (and GetRandomPassword) makes it:
 * PasswordLength (32), the Exclude* options, IncludeSpace, RequireEachIncludedType (true), and
 * SecretStringTemplate with GenerateStringKey for a JSON secret.
 */
export function generateSecretString(options: Readonly<Record<string, unknown>>): string {
  const excluded = new Set(String(options.ExcludeCharacters ?? ''));
  const classes = [
    options.ExcludeLowercase === true ? '' : LOWER,
    options.ExcludeUppercase === true ? '' : UPPER,
    options.ExcludeNumbers === true ? '' : DIGITS,
    options.ExcludePunctuation === true ? '' : PUNCTUATION,
    options.IncludeSpace === true ? ' ' : '',
  ]
    .map((chars) => [...chars].filter((char) => !excluded.has(char)).join(''))
    .filter((chars) => chars.length > 0);
  const alphabet = classes.join('');
  if (alphabet === '') throw new Error('GenerateSecretString excludes every character');
  const length = Number(options.PasswordLength ?? 32);
  const requireEach = options.RequireEachIncludedType !== false && length >= classes.length;
  let password = '';
  do {
    password = Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
  } while (requireEach && !classes.every((chars) => [...password].some((char) => chars.includes(char))));
  if (typeof options.SecretStringTemplate !== 'string' || typeof options.GenerateStringKey !== 'string')
    return password;
  const template = JSON.parse(options.SecretStringTemplate) as Record<string, unknown>;
  return JSON.stringify({ ...template, [options.GenerateStringKey]: password });
}

function initialValue(spec: SecretSpec): SecretValue {
  if (spec.secretString !== undefined) return { kind: 'string', value: spec.secretString };
  return { kind: 'string', value: generateSecretString(spec.generate ?? {}) };
}

function valueOfInput(input: Record<string, unknown>): SecretValue {
  const hasString = typeof input.SecretString === 'string';
  const hasBinary = typeof input.SecretBinary === 'string';
  if (hasString === hasBinary)
    throw invalid('You must provide either SecretString or SecretBinary, but not both.');
  return hasString
    ? { kind: 'string', value: input.SecretString as string }
    : { kind: 'binary', value: Buffer.from(input.SecretBinary as string, 'base64') };
}

function sameValue(a: SecretValue, b: SecretValue): boolean {
  return a.kind === b.kind && (a.kind === 'string' ? a.value === b.value : a.value.equals(b.value as Buffer));
}

/**
 * The local Secrets Manager (JSON 1.1, `X-Amz-Target: secretsmanager.<Operation>`), seeded from
 * the template's secrets: GetSecretValue, PutSecretValue (a new AWSCURRENT pushes the old one to
 * AWSPREVIOUS), DescribeSecret and ListSecrets. Values live in memory for the life of the cloud.
 */
export class SecretsManagerService {
  readonly handler: ServiceHandler;
  private readonly secrets: StoredSecret[];
  private readonly now: () => Date;

  constructor(options: SecretsManagerServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.secrets = options.secrets.map((spec) => {
      const created = this.now();
      const id = randomUUID();
      const version = { id, value: initialValue(spec), created, stages: new Set([CURRENT]) };
      return { spec, created, lastChanged: created, versions: new Map([[id, version]]) };
    });
    this.handler = jsonService({
      GetSecretValue: (input) => this.getSecretValue(input),
      PutSecretValue: (input) => this.putSecretValue(input),
      DescribeSecret: (input) => this.describe(this.find(input.SecretId)),
      ListSecrets: (input) => this.list(input),
    });
  }

  /** The text a stage of a secret holds, for the local cloud's own wiring; undefined if there is none. */
  valueOf(secretId: string, stage = CURRENT): string | undefined {
    const secret = this.lookup(secretId);
    const version = secret && [...secret.versions.values()].find((candidate) => candidate.stages.has(stage));
    return version?.value.kind === 'string' ? version.value.value : undefined;
  }

  private lookup(secretId: unknown): StoredSecret | undefined {
    if (typeof secretId !== 'string' || secretId === '') return undefined;
    return this.secrets.find(
      ({ spec }) => spec.arn === secretId || spec.name === secretId || spec.arn.slice(0, -7) === secretId,
    );
  }

  private find(secretId: unknown): StoredSecret {
    const secret = this.lookup(secretId);
    if (!secret) throw notFound();
    return secret;
  }

  private getSecretValue(input: Record<string, unknown>) {
    const secret = this.find(input.SecretId);
    const versionId = typeof input.VersionId === 'string' ? input.VersionId : undefined;
    const stage =
      typeof input.VersionStage === 'string' ? input.VersionStage : versionId ? undefined : CURRENT;
    const version = versionId
      ? secret.versions.get(versionId)
      : [...secret.versions.values()].find((candidate) => stage !== undefined && candidate.stages.has(stage));
    if (!version || (stage !== undefined && !version.stages.has(stage))) {
      throw notFound(
        versionId && !stage
          ? `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`
          : `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
      );
    }
    return {
      ARN: secret.spec.arn,
      Name: secret.spec.name,
      VersionId: version.id,
      ...(version.value.kind === 'string'
        ? { SecretString: version.value.value }
        : { SecretBinary: version.value.value.toString('base64') }),
      VersionStages: [...version.stages],
      CreatedDate: epochSeconds(version.created),
    };
  }

  private putSecretValue(input: Record<string, unknown>) {
    const secret = this.find(input.SecretId);
    const value = valueOfInput(input);
    const id = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : randomUUID();
    const answer = (version: SecretVersion) => ({
      ARN: secret.spec.arn,
      Name: secret.spec.name,
      VersionId: version.id,
      VersionStages: [...version.stages],
    });
    const existing = secret.versions.get(id);
    if (existing) {
      if (!sameValue(existing.value, value))
        throw new AwsError('ResourceExistsException', `A resource with the ID ${id} already exists.`);
      return answer(existing);
    }
    const stages = Array.isArray(input.VersionStages) ? input.VersionStages.map(String) : [CURRENT];
    const version: SecretVersion = { id, value, created: this.now(), stages: new Set() };
    for (const stage of stages) this.moveStage(secret, stage, version);
    secret.versions.set(id, version);
    secret.lastChanged = version.created;
    return answer(version);
  }

  /** Gives `stage` to `version`; when AWSCURRENT moves, the version that had it becomes AWSPREVIOUS. */
  private moveStage(secret: StoredSecret, stage: string, version: SecretVersion): void {
    for (const other of secret.versions.values()) {
      if (!other.stages.delete(stage) || stage !== CURRENT) continue;
      for (const older of secret.versions.values()) older.stages.delete(PREVIOUS);
      other.stages.add(PREVIOUS);
    }
    version.stages.add(stage);
  }

  private describe(secret: StoredSecret) {
    const { spec } = secret;
    return {
      ARN: spec.arn,
      Name: spec.name,
      ...(spec.description === undefined ? {} : { Description: spec.description }),
      ...(spec.kmsKeyId === undefined ? {} : { KmsKeyId: spec.kmsKeyId }),
      RotationEnabled: false,
      CreatedDate: epochSeconds(secret.created),
      LastChangedDate: epochSeconds(secret.lastChanged),
      Tags: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value })),
      VersionIdsToStages: Object.fromEntries(
        [...secret.versions.values()].map((version) => [version.id, [...version.stages]]),
      ),
    };
  }

  private list(input: Record<string, unknown>) {
    const filters = Array.isArray(input.Filters)
      ? (input.Filters as { Key?: string; Values?: string[] }[])
      : [];
    const matching = this.secrets.filter((secret) =>
      filters.every((filter) =>
        (filter.Values ?? []).some((value) => matches(secret.spec, filter.Key, value)),
      ),
    );
    const start = Number(input.NextToken ?? 0);
    const size = Number(input.MaxResults ?? 100);
    if (!Number.isInteger(start) || start < 0) throw invalid('The NextToken is not valid.');
    const page = matching.slice(start, start + size);
    return {
      SecretList: page.map((secret) => {
        const { VersionIdsToStages, RotationEnabled: _rotation, ...summary } = this.describe(secret);
        return { ...summary, SecretVersionsToStages: VersionIdsToStages };
      }),
      ...(start + size < matching.length ? { NextToken: String(start + size) } : {}),
    };
  }
}

/** ListSecrets filters match a prefix of the field; `all` looks at every one. */
function matches(spec: SecretSpec, key: string | undefined, value: string): boolean {
  const fields: Record<string, string[]> = {
    name: [spec.name],
    description: spec.description === undefined ? [] : [spec.description],
    'tag-key': Object.keys(spec.tags),
    'tag-value': Object.values(spec.tags),
  };
  const candidates = key === 'all' ? Object.values(fields).flat() : (fields[key ?? ''] ?? []);
  return candidates.some((field) => field.startsWith(value));
}
