/** Why a delivery failed, in EventBridge's terms: the DLQ message carries the code and message. */
export class DeliveryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Throttling and service errors are retried; a missing or forbidden target is not. */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = code;
  }
}

export interface Delivery {
  readonly targetArn: string;
  /** What the target receives: the event or the rule's input for it. */
  readonly input: string;
  readonly event: Readonly<Record<string, unknown>>;
  readonly messageGroupId?: string;
}

/** Something that can receive events: a queue, a function, a state machine, a log group, a bus. */
export interface TargetKind {
  readonly service: string;
  deliver(resourceName: string, delivery: Delivery): Promise<void>;
}

/** `arn:aws:sqs:us-east-1:000000000000:orders` → `{ service: 'sqs', resource: 'orders' }`. */
export function parseArn(arn: string): { service: string; resource: string } {
  const parts = arn.split(':');
  const service = parts[2] ?? '';
  const resource = parts.slice(5).join(':');
  return { service, resource };
}

/** The last segment of an ARN's resource part: `function:name` → `name`, `event-bus/name` → `name`. */
export function resourceName(service: string, resource: string): string {
  switch (service) {
    case 'lambda':
    case 'states':
      return resource.split(':')[1] ?? resource;
    case 'logs':
      return resource.replace(/^log-group:/, '').replace(/:\*$/, '');
    case 'events':
      return resource.replace(/^event-bus\//, '');
    default:
      return resource;
  }
}

/** Dispatches a delivery to the kind of target its ARN names. */
export class TargetDispatcher {
  private readonly kinds = new Map<string, TargetKind>();

  register(kind: TargetKind): this {
    this.kinds.set(kind.service, kind);
    return this;
  }

  async deliver(delivery: Delivery): Promise<void> {
    const { service, resource } = parseArn(delivery.targetArn);
    const kind = this.kinds.get(service);
    if (!kind)
      throw new DeliveryError(
        'UnsupportedTarget',
        `Targets of type ${service} are not emulated locally`,
        false,
      );
    await kind.deliver(resourceName(service, resource), delivery);
  }
}
