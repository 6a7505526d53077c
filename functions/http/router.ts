import { DomainError } from '../domain/errors.ts';
import { ROUTE_KEYS } from './route-keys.ts';
import type { HttpMethod, RouteDef } from './route-types.ts';

/** What matching needs of a route: its method and path template. */
type Matchable = Pick<RouteDef, 'method' | 'path'>;

interface Compiled<R extends Matchable> {
  route: R;
  pattern: RegExp;
  names: string[];
  literalLength: number;
}

function compile<R extends Matchable>(route: R): Compiled<R> {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((seg) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]!);
      return '([^/]+)';
    })
    .join('/');
  return {
    route,
    pattern: new RegExp(`^${source}$`),
    names,
    literalLength: route.path.replace(/\{\w+\}/g, '').length,
  };
}

export interface RouteMatch<R extends Matchable = RouteDef> {
  route: R;
  pathParameters: Record<string, string>;
}

/**
 * Path-template matching as API Gateway does it: the most specific template (most literal
 * characters) wins, and path parameters are URI-decoded.
 */
export function createMatcher<R extends Matchable>(routes: readonly R[]) {
  const compiled = routes.map(compile).sort((a, b) => b.literalLength - a.literalLength);
  return {
    match(method: string, path: string): RouteMatch<R> | undefined {
      for (const c of compiled) {
        if (c.route.method !== method) continue;
        const m = c.pattern.exec(path);
        if (!m) continue;
        const pathParameters: Record<string, string> = {};
        c.names.forEach((n, i) => {
          pathParameters[n] = safeDecode(m[i + 1]!);
        });
        return { route: c.route, pathParameters };
      }
      return undefined;
    },
    /** Methods that some route accepts at this path. */
    allowed(path: string): HttpMethod[] {
      return [...new Set(compiled.filter((c) => c.pattern.test(path)).map((c) => c.route.method))];
    },
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

let defaultMatcher: ReturnType<typeof createMatcher<Matchable>> | undefined;

/** The route keys as matchable routes. */
const keyRoutes = (): Matchable[] =>
  ROUTE_KEYS.map((key) => {
    const [method, path] = key.split(' ') as [HttpMethod, string];
    return { method, path };
  });

/**
 * The answer for a request no route matched (API Gateway's `$default` route): 405 with
 * `Allow` when the path exists under another method, else 404. Both problem+json.
 */
export function unmatchedRoute(method: string, path: string): never {
  defaultMatcher ??= createMatcher(keyRoutes());
  const allowed = defaultMatcher.allowed(path);
  if (allowed.length > 0) {
    throw new DomainError(
      'method-not-allowed',
      `${method} is not allowed on ${path}; use ${allowed.join(', ')}.`,
      {
        allow: allowed.join(', '),
      },
    );
  }
  throw new DomainError('not-found', `There is no route at ${path}.`);
}
