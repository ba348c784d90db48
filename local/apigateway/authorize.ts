import type { LambdaRuntime } from '../runtime/lambda-runtime';
import type { ApiAuthorizerSpec, ApiMethodSpec } from '../template/topology-types';
import { type LocalCognito, UNAUTHORIZED_MESSAGE } from './cognito';
import type { GatewayResponseType } from './gateway-responses';

export type AuthorizationResult =
  | { readonly ok: true; readonly authorizer?: Record<string, unknown> }
  | { readonly ok: false; readonly type: GatewayResponseType; readonly message?: string };

/** What an authorizer answered: a policy (judged per request), or a refusal that holds for any method. */
type AuthorizerAnswer = { readonly policy: Policy } | { readonly refusal: AuthorizationResult };

interface CachedAnswer {
  readonly expires: number;
  readonly answer: AuthorizerAnswer;
}

interface Policy {
  readonly principalId?: string;
  readonly policyDocument?: {
    readonly Statement?: readonly {
      readonly Effect?: string;
      readonly Action?: unknown;
      readonly Resource?: unknown;
    }[];
  };
  readonly context?: Record<string, unknown>;
}

/** Whether an IAM policy an authorizer returned allows `methodArn` (wildcards as IAM reads them). */
export function policyAllows(policy: Policy, methodArn: string): boolean {
  const matches = (pattern: string) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replaceAll('*', '.*')
        .replaceAll('?', '.')}$`,
    ).test(methodArn);
  const statements = policy.policyDocument?.Statement ?? [];
  const covering = statements.filter((statement) =>
    [statement.Resource].flat().some((resource) => matches(String(resource))),
  );
  if (covering.some((statement) => statement.Effect === 'Deny')) return false;
  return covering.some((statement) => statement.Effect === 'Allow');
}

function judge(answer: AuthorizerAnswer, methodArn: string): AuthorizationResult {
  if ('refusal' in answer) return answer.refusal;
  const { policy } = answer;
  return policyAllows(policy, methodArn)
    ? { ok: true, authorizer: { principalId: policy.principalId, ...policy.context } }
    : { ok: false, type: 'ACCESS_DENIED' };
}

/**
 * The authorizer step of a request: Cognito user pool authorizers check the token and the method's
 * scopes; Lambda (TOKEN and REQUEST) authorizers are invoked and their policies cached for the
 * authorizer's TTL.
 */
export class Authorization {
  private readonly cache = new Map<string, CachedAnswer>();

  constructor(
    private readonly authorizers: readonly ApiAuthorizerSpec[],
    private readonly cognito: LocalCognito,
    private readonly runtime: LambdaRuntime,
  ) {}

  async authorize(
    method: ApiMethodSpec,
    request: {
      readonly headers: Readonly<Record<string, string>>;
      readonly methodArn: string;
      readonly event: unknown;
    },
  ): Promise<AuthorizationResult> {
    if (method.authorizationType === 'NONE') return { ok: true };
    const authorizer = this.authorizers.find((candidate) => candidate.id === method.authorizerId);
    if (!authorizer) return { ok: false, type: 'AUTHORIZER_CONFIGURATION_ERROR' };
    if (authorizer.type === 'COGNITO_USER_POOLS')
      return this.cognitoUserPool(authorizer, method, request.headers);
    if (authorizer.type === 'TOKEN' || authorizer.type === 'REQUEST') return this.lambda(authorizer, request);
    return { ok: false, type: 'AUTHORIZER_CONFIGURATION_ERROR' };
  }

  private async cognitoUserPool(
    authorizer: ApiAuthorizerSpec,
    method: ApiMethodSpec,
    headers: Readonly<Record<string, string>>,
  ): Promise<AuthorizationResult> {
    const userPoolIds = authorizer.userPoolArns.map((arn) => arn.split('/').pop() ?? arn);
    const verdict = await this.cognito.verify(headers.authorization, {
      userPoolIds,
      scopes: method.authorizationScopes.length > 0 ? method.authorizationScopes : undefined,
    });
    if (verdict.ok) return { ok: true, authorizer: { claims: verdict.claims } };
    return { ok: false, type: 'UNAUTHORIZED', message: UNAUTHORIZED_MESSAGE[verdict.reason] };
  }

  private async lambda(
    authorizer: ApiAuthorizerSpec,
    request: {
      readonly headers: Readonly<Record<string, string>>;
      readonly methodArn: string;
      readonly event: unknown;
    },
  ): Promise<AuthorizationResult> {
    const header = (authorizer.identitySource ?? 'method.request.header.Authorization').replace(
      /^method\.request\.header\./i,
      '',
    );
    const token = request.headers[header.toLowerCase()];
    if (authorizer.type === 'TOKEN' && !token) return { ok: false, type: 'UNAUTHORIZED' };
    const cacheKey = `${authorizer.id}|${token ?? ''}`;
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expires > Date.now()) return judge(cached.answer, request.methodArn);
    const event =
      authorizer.type === 'TOKEN'
        ? { type: 'TOKEN', authorizationToken: token, methodArn: request.methodArn }
        : { ...(request.event as object), type: 'REQUEST', methodArn: request.methodArn };
    let answer: AuthorizerAnswer;
    try {
      const outcome = await this.runtime.invoke(authorizer.functionArn ?? '', event);
      if (outcome.error) {
        answer = {
          refusal:
            outcome.error.errorMessage === 'Unauthorized'
              ? { ok: false, type: 'UNAUTHORIZED' }
              : { ok: false, type: 'AUTHORIZER_FAILURE' },
        };
      } else {
        answer = { policy: (outcome.payload ?? {}) as Policy };
      }
    } catch {
      return { ok: false, type: 'AUTHORIZER_FAILURE' };
    }
    // API Gateway caches the policy, not the verdict: each request's method ARN is checked against it.
    if (authorizer.resultTtlSeconds > 0)
      this.cache.set(cacheKey, { expires: Date.now() + authorizer.resultTtlSeconds * 1000, answer });
    return judge(answer, request.methodArn);
  }
}
