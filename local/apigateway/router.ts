import type { ApiMethodSpec, RestApiSpec } from '../template/topology-types';

export interface RouteMatch {
  readonly method: ApiMethodSpec;
  /** The resource's path template, such as `/v1/orders/{orderId}`. */
  readonly resourcePath: string;
  readonly pathParameters: Readonly<Record<string, string>>;
}

interface Candidate {
  readonly resourceId: string;
  readonly template: string;
  readonly parameters: Record<string, string>;
  readonly score: number;
}

/** Matches a request path against a resource path template; literal segments win over variables. */
function matchTemplate(
  template: string,
  segments: readonly string[],
): { parameters: Record<string, string>; score: number } | undefined {
  const parts = template === '/' ? [] : template.slice(1).split('/');
  const parameters: Record<string, string> = {};
  let score = 0;
  for (let index = 0; index < parts.length; index += 1) {
    const part = parts[index] ?? '';
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy) {
      if (index >= segments.length) return undefined;
      parameters[greedy[1] ?? 'proxy'] = segments.slice(index).join('/');
      return { parameters, score };
    }
    const segment = segments[index];
    if (segment === undefined) return undefined;
    const variable = /^\{(.+)\}$/.exec(part);
    if (variable) parameters[variable[1] ?? ''] = decodeURIComponent(segment);
    else if (part === segment) score += 2;
    else return undefined;
    score += 1;
  }
  return segments.length === parts.length ? { parameters, score } : undefined;
}

/**
 * API Gateway's routing: the most specific resource whose template matches the path, then its
 * method (or ANY). No resource or no method is API Gateway's "Missing Authentication Token".
 */
export function matchRoute(api: RestApiSpec, path: string, httpMethod: string): RouteMatch | undefined {
  const segments = path.split('/').filter((segment) => segment !== '');
  const candidates: Candidate[] = [];
  for (const [resourceId, template] of api.paths) {
    const matched = matchTemplate(template, segments);
    if (matched) candidates.push({ resourceId, template, ...matched });
  }
  candidates.sort((a, b) => b.score - a.score);
  for (const candidate of candidates) {
    const methods = api.methods.filter((method) => method.resourceId === candidate.resourceId);
    const method =
      methods.find((entry) => entry.httpMethod === httpMethod) ??
      methods.find((entry) => entry.httpMethod === 'ANY');
    if (method) return { method, resourcePath: candidate.template, pathParameters: candidate.parameters };
  }
  return undefined;
}
