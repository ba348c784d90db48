import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import type { EventPublisher } from '../events/publisher';
import type { RequestCorrelation } from '../http/correlation';
import { IdempotencyKeyReusedError, RequestInProgressError } from '../http/errors';
import { buildOrderCreated } from './order-created';
import type { OrderRequest } from './order-request';

export interface AcceptOrderRequest {
  readonly order: OrderRequest;
  /** The client's `Idempotency-Key`. */
  readonly idempotencyKey: string;
  readonly correlation: RequestCorrelation;
}

export interface AcceptedOrder {
  readonly order_id: string;
  readonly event_id: string;
  /** The answer was stored by an earlier request with the same key; nothing was published now. */
  readonly replayed: boolean;
}

export interface OrderIntakeDependencies {
  readonly publisher: EventPublisher;
  readonly persistenceStore: BasePersistenceLayer;
  /** How long a key is remembered. @default 24 hours */
  readonly keyLifetimeSeconds?: number;
  readonly now?: () => Date;
}

/** What the idempotent step receives; only `scoped_key` and `order` are hashed. */
interface IdempotentPayload {
  readonly scoped_key: string;
  readonly order: OrderRequest;
  readonly correlation: RequestCorrelation;
  readonly run: { executed: boolean };
}

/**
 * Accepts an order exactly once per client and `Idempotency-Key`: the same key and body answer
 * with the first result without publishing again; the same key with another body is refused.
 */
export class OrderIntake {
  private readonly config: IdempotencyConfig;
  private readonly acceptOnce: (payload: IdempotentPayload) => Promise<Omit<AcceptedOrder, 'replayed'>>;

  constructor(private readonly deps: OrderIntakeDependencies) {
    this.config = new IdempotencyConfig({
      eventKeyJmesPath: 'scoped_key',
      payloadValidationJmesPath: 'order',
      expiresAfterSeconds: deps.keyLifetimeSeconds ?? 24 * 60 * 60,
      throwOnNoIdempotencyKey: true,
    });
    this.acceptOnce = makeIdempotent((payload: IdempotentPayload) => this.publishOrder(payload), {
      persistenceStore: deps.persistenceStore,
      config: this.config,
    });
  }

  async accept(request: AcceptOrderRequest, context: Context): Promise<AcceptedOrder> {
    this.config.registerLambdaContext(context);
    const run = { executed: false };
    try {
      const result = await this.acceptOnce({
        scoped_key: `${request.correlation.clientId}#${request.idempotencyKey}`,
        order: request.order,
        correlation: request.correlation,
        run,
      });
      return { order_id: result.order_id, event_id: result.event_id, replayed: !run.executed };
    } catch (error) {
      if (error instanceof IdempotencyValidationError) throw new IdempotencyKeyReusedError();
      if (error instanceof IdempotencyAlreadyInProgressError) throw new RequestInProgressError();
      throw error;
    }
  }

  private async publishOrder(payload: IdempotentPayload): Promise<Omit<AcceptedOrder, 'replayed'>> {
    payload.run.executed = true;
    const envelope = buildOrderCreated({
      order: payload.order,
      scopedKey: payload.scoped_key,
      metadata: {
        correlation_id: payload.correlation.correlationId,
        causation_id: payload.correlation.causationId,
        ...(payload.correlation.userId ? { user_id: payload.correlation.userId } : {}),
      },
      now: this.deps.now,
    });
    await this.deps.publisher.publish(envelope);
    return { order_id: envelope.data.order_id, event_id: envelope.id };
  }
}
