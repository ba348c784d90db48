import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { IntegrationFunction } from '../compute/integration-function';

/** The environment variable that carries the table's name to CircuitBreaker. */
export const CIRCUIT_TABLE_VARIABLE = 'CIRCUIT_TABLE_NAME';

export interface CircuitBreakerTableProps {
  /**
   * What happens to the table when the stack is deleted. RETAIN also turns on deletion
   * protection. @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The circuit state every Lambda instance shares (utils/resilience/circuit-*): one item per
 * provider, key `provider`. On demand, point-in-time recovery, encrypted at rest.
 */
export class CircuitBreakerTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: CircuitBreakerTableProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'provider', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy,
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
    });
  }

  /** What CircuitBreaker calls: GetItem (state) and UpdateItem (every transition). */
  grantUse(grantee: IGrantable): Grant {
    return this.table.grant(grantee, 'dynamodb:GetItem', 'dynamodb:UpdateItem');
  }

  /** What ops call: Scan (circuitStatus) and UpdateItem (resetCircuit). */
  grantOperate(grantee: IGrantable): Grant {
    return this.table.grant(grantee, 'dynamodb:Scan', 'dynamodb:UpdateItem');
  }

  /** Puts the table name in CIRCUIT_TABLE_NAME and grants use (a breaker) or operate (ops). */
  bind(fn: IntegrationFunction, access: 'use' | 'operate' = 'use'): IntegrationFunction {
    fn.setVariable(CIRCUIT_TABLE_VARIABLE, this.table.tableName);
    if (access === 'use') this.grantUse(fn);
    else this.grantOperate(fn);
    return fn;
  }
}
