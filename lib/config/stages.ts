import { RemovalPolicy } from 'aws-cdk-lib';
import { Period } from 'aws-cdk-lib/aws-apigateway';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export const STAGE_NAMES = ['dev', 'prod'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** A machine client of the API: one Cognito app client, one API key, one usage plan. */
export interface ApiClientConfig {
  /** Steady-state requests per second for this client. */
  readonly rateLimit: number;
  /** Requests the client may burst above its rate. */
  readonly burstLimit: number;
  /** Requests allowed per period. */
  readonly quota: { readonly limit: number; readonly period: Period };
  /** OAuth2 scopes the client may request, as `resource/scope`. */
  readonly scopes: readonly string[];
}

export interface StageConfig {
  readonly name: StageName;
  /** What happens to stateful resources (tables, keys, log groups) when the stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
  /** Retention of every log group the stage creates. */
  readonly logRetention: RetentionDays;
  /** Days the event archive keeps events for replay. */
  readonly archiveRetentionDays: number;
  /** Log level of every function (Powertools and Lambda's application log level). */
  readonly logLevel: LogLevel;
  /** The From address of order confirmation e-mails (a sender verified with the e-mail provider). */
  readonly confirmationSender: string;
  readonly api: {
    /** Stage-wide throttle, the ceiling above every usage plan. */
    readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
    /** Requests per 5 minutes from one IP address before WAF blocks it. */
    readonly wafRateLimitPer5Minutes: number;
    readonly clients: Readonly<Record<string, ApiClientConfig>>;
  };
}

const STAGES: Readonly<Record<StageName, StageConfig>> = {
  dev: {
    name: 'dev',
    removalPolicy: RemovalPolicy.DESTROY,
    logRetention: RetentionDays.TWO_WEEKS,
    archiveRetentionDays: 7,
    logLevel: 'DEBUG',
    confirmationSender: 'orders@dev.junction.example',
    api: {
      throttle: { rateLimit: 50, burstLimit: 100 },
      wafRateLimitPer5Minutes: 1000,
      clients: {
        'demo-partner': {
          rateLimit: 10,
          burstLimit: 20,
          quota: { limit: 10_000, period: Period.DAY },
          scopes: ['orders/write', 'orders/read', 'payments/write'],
        },
      },
    },
  },
  prod: {
    name: 'prod',
    removalPolicy: RemovalPolicy.RETAIN,
    logRetention: RetentionDays.THREE_MONTHS,
    archiveRetentionDays: 90,
    logLevel: 'INFO',
    confirmationSender: 'orders@junction.example',
    api: {
      throttle: { rateLimit: 500, burstLimit: 1000 },
      wafRateLimitPer5Minutes: 5000,
      clients: {
        storefront: {
          rateLimit: 200,
          burstLimit: 400,
          quota: { limit: 5_000_000, period: Period.MONTH },
          scopes: ['orders/write', 'orders/read', 'payments/write'],
        },
      },
    },
  },
};

function isStageName(value: unknown): value is StageName {
  return typeof value === 'string' && (STAGE_NAMES as readonly string[]).includes(value);
}

/** The configuration of a stage (`-c stage=…`); `dev` when none is given. */
export function resolveStageConfig(stage: unknown): StageConfig {
  const name = stage ?? 'dev';
  if (!isStageName(name)) {
    throw new Error(`Unknown stage "${String(name)}". Valid stages: ${STAGE_NAMES.join(', ')}.`);
  }
  return STAGES[name];
}
