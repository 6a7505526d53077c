import type * as z from 'zod/mini';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Role = 'author' | 'employer';

/**
 * Who may call a route. `public`: anyone. `candidate`: the attempt token of the attempt the
 * path addresses, checked by the handler. A list of roles: a staff JWT (checked by the HTTP API
 * JWT authorizer, locally by the gateway) whose groups include one of them.
 */
export type Access = 'public' | 'candidate' | readonly Role[];

/** One Lambda function per group; `functions/handlers/<group>.ts` exports its `handler`. */
export type FunctionGroup = 'public' | 'authoring' | 'employer' | 'employer-attempts' | 'candidate';

export interface ResponseDef {
  /** Output schema: object schemas strip unknown keys, so a response never carries more. */
  schema?: z.ZodMiniType;
  contentType?: string;
  /**
   * Further content types of the same response, chosen by the request's Accept header (e.g.
   * text/csv beside JSON): their bodies are text.
   */
  alternatives?: readonly string[];
}

/** A response header: the contract test checks that a `required` one is always sent. */
export interface ResponseHeaderDef {
  description: string;
  required?: boolean;
  /** JSON Schema of the value; a string when absent. */
  schema?: Readonly<Record<string, unknown>>;
}

/** The `Location` of a resource a 201/202 made or queued. */
export const locationHeader = (of: string): Record<string, ResponseHeaderDef> => ({
  Location: { description: `The path of ${of}.`, required: true },
});

/** `Retry-After` on an answer that asks the client to poll. */
export const pollAfterHeader = (when: string): Record<string, ResponseHeaderDef> => ({
  'Retry-After': {
    description: `Seconds to wait before polling again (${when}).`,
    schema: { type: 'integer', minimum: 1 },
  },
});

/** `ETag`: the version or revision this answer shows, for the next `If-Match`. */
export const etagHeader = (of: string, required = true): Record<string, ResponseHeaderDef> => ({
  ETag: {
    description: `${of}, quoted (e.g. "3"): send it back as If-Match.`,
    required,
    schema: { type: 'string', pattern: '^"\\d+"$' },
  },
});

/** A request header a route reads: its schema is what the server accepts (for the document). */
export interface HeaderDef {
  name: string;
  required: boolean;
  /**
   * What the header means, for the document. It may instead be in the route's prose
   * (`headers`, by name), which keeps the text out of the Lambda bundles; one of the two is
   * required (the document's builder throws without it).
   */
  description?: string;
  /** The header's value as the server reads it (a string schema); any string if absent. */
  schema?: z.ZodMiniType;
}

export interface RouteDef {
  operationId: string;
  method: HttpMethod;
  /** API Gateway path template, e.g. `/v1/questions/{questionId}`. */
  path: string;
  group: FunctionGroup;
  access: Access;
  /** Request content types accepted for the body; defaults to JSON when `body` is set. */
  consumes?: readonly string[];
  body?: z.ZodMiniType;
  /**
   * The body as the document shows it, when the operation checks more than `body` parses (a
   * question's `answer` by its type's schema, from the registry): it accepts exactly what
   * `body` and the operation's own checks accept, which the contract test holds it to.
   */
  documentedBody?: z.ZodMiniType;
  /** The body may be left out: the operation then gets what `body` parses `{}` to. */
  optionalBody?: boolean;
  /**
   * The operation validates the raw text itself (bank uploads locate errors by line). Required
   * for any route whose `consumes` lists a non-JSON type.
   */
  rawBody?: boolean;
  query?: z.ZodMiniType;
  params?: z.ZodMiniType;
  /** Request headers the route reads, for the OpenAPI document. */
  headers?: readonly HeaderDef[];
  responses: Readonly<Record<number, ResponseDef>>;
}

/**
 * A route's prose, for the OpenAPI document only: what the operation does (`summary`, its first
 * sentence the document's summary, the whole its description) and what each declared status
 * means. Each `routes/<group>.ts` keeps it in a `<GROUP>_PROSE` object beside its route table,
 * which no handler reads, so the Lambda bundles leave the texts out; the type makes a route or a
 * status without its text (or a text without its route) a compile error.
 */
export type RouteProse<R extends readonly RouteDef[]> = {
  readonly [K in R[number] as K['operationId']]: {
    readonly summary: string;
    readonly responses: { readonly [S in keyof K['responses']]: string };
    /** Request headers' descriptions by name, for headers declared without one. */
    readonly headers?: Readonly<Record<string, string>>;
    /**
     * Response headers a client reads (Location, ETag...), by status: only the document declares
     * them (the contract test checks that a `required` one is always sent).
     */
    readonly responseHeaders?: {
      readonly [S in keyof K['responses']]?: Readonly<Record<string, ResponseHeaderDef>>;
    };
  };
};

export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>) => `${r.method} ${r.path}`;

export const isStaff = (access: Access): access is readonly Role[] => Array.isArray(access);
