import type { TemplateResources } from './resources';

/** An `AWS::SecretsManager::Secret` of the template, with what its first version holds. */
export interface SecretSpec {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  readonly kmsKeyId?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The value the template sets. */
  readonly secretString?: string;
  /** Or how to generate one (CloudFormation's `GenerateSecretString`). */
  readonly generate?: Readonly<Record<string, unknown>>;
}

function tagsOf(value: unknown): Record<string, string> {
  if (!Array.isArray(value)) return {};
  return Object.fromEntries(
    value
      .filter((tag): tag is { Key: unknown; Value: unknown } => typeof tag === 'object' && tag !== null)
      .map((tag) => [String(tag.Key), String(tag.Value)]),
  );
}

/** The template's secrets, with names, ARNs and values resolved. */
export function secretsOf(resources: TemplateResources): SecretSpec[] {
  return resources.ofType('AWS::SecretsManager::Secret').map((logicalId) => {
    const properties = resources.properties(logicalId);
    const physical = resources.physicalOf(logicalId);
    const arn = String(physical?.ref);
    const generate = properties.GenerateSecretString;
    return {
      logicalId,
      name: String(physical?.attributes.Name ?? arn),
      arn,
      ...(typeof properties.Description === 'string' ? { description: properties.Description } : {}),
      ...(typeof properties.KmsKeyId === 'string' ? { kmsKeyId: properties.KmsKeyId } : {}),
      tags: tagsOf(properties.Tags),
      ...(typeof properties.SecretString === 'string' ? { secretString: properties.SecretString } : {}),
      ...(typeof generate === 'object' && generate !== null && typeof properties.SecretString !== 'string'
        ? { generate: generate as Record<string, unknown> }
        : {}),
    };
  });
}
