import type { CfnResource, CfnTemplate } from './assembly';
import { evaluateCondition, type IntrinsicContext, resolveIntrinsics } from './intrinsics';
import { type LocalEnvironment, type PhysicalResource, physicalResource } from './naming';

/**
 * The resources of one template with their local physical ids, and intrinsic resolution over
 * them: what `Ref` and `Fn::GetAtt` return locally, and each resource's resolved properties.
 */
export class TemplateResources {
  private readonly physical = new Map<string, PhysicalResource>();
  private readonly resolving = new Set<string>();
  readonly context: IntrinsicContext;

  constructor(
    readonly template: CfnTemplate,
    readonly env: LocalEnvironment,
  ) {
    this.context = {
      ...env,
      conditions: template.Conditions,
      mappings: template.Mappings,
      ref: (logicalId) => this.ref(logicalId),
      getAtt: (logicalId, attribute) => this.physicalOf(logicalId)?.attributes[attribute],
    };
  }

  /** Logical ids of the resources of `type` that the template creates (their conditions hold). */
  ofType(type: string): string[] {
    return Object.entries(this.template.Resources)
      .filter(([, resource]) => resource.Type === type && this.isCreated(resource))
      .map(([logicalId]) => logicalId);
  }

  resource(logicalId: string): CfnResource {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`No resource ${logicalId} in the template`);
    return resource;
  }

  isCreated(resource: { readonly Condition?: string }): boolean {
    return resource.Condition === undefined || evaluateCondition(resource.Condition, this.context);
  }

  ref(logicalId: string): unknown {
    const parameter = this.template.Parameters?.[logicalId];
    if (parameter) {
      // A list parameter's Ref is a list, as Fn::Select and Fn::Join read it.
      const isList = /^(CommaDelimitedList|List<.+>)$/.test(parameter.Type ?? '');
      return isList && typeof parameter.Default === 'string'
        ? parameter.Default.split(',').map((item) => item.trim())
        : parameter.Default;
    }
    return this.physicalOf(logicalId)?.ref;
  }

  physicalOf(logicalId: string): PhysicalResource | undefined {
    const cached = this.physical.get(logicalId);
    if (cached) return cached;
    const resource = this.template.Resources[logicalId];
    if (!resource) return undefined;
    if (this.resolving.has(logicalId)) throw new Error(`Circular reference while naming ${logicalId}`);
    this.resolving.add(logicalId);
    try {
      const made = physicalResource(this.env, logicalId, resource.Type, (name) =>
        this.property(logicalId, name),
      );
      this.physical.set(logicalId, made);
      return made;
    } finally {
      this.resolving.delete(logicalId);
    }
  }

  /** One property of a resource, resolved. */
  property(logicalId: string, name: string): unknown {
    const raw = this.resource(logicalId).Properties?.[name];
    return raw === undefined
      ? undefined
      : resolveIntrinsics(raw, this.context, `${logicalId}.Properties.${name}`);
  }

  /** Every property of a resource, resolved. */
  properties(logicalId: string): Record<string, unknown> {
    const raw = this.resource(logicalId).Properties ?? {};
    return resolveIntrinsics(raw, this.context, `${logicalId}.Properties`) as Record<string, unknown>;
  }

  /** Any template value (an output, a metadata entry), resolved. */
  resolve(value: unknown, path: string): unknown {
    return resolveIntrinsics(value, this.context, path);
  }
}
