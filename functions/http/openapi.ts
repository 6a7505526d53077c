import * as z from 'zod/mini';
import { isStaff, type ResponseHeaderDef, type RouteDef } from './route-types.ts';
import { AUTHORING_PROSE } from './routes/authoring.ts';
import { CANDIDATE_PROSE } from './routes/candidate.ts';
import { EMPLOYER_PROSE } from './routes/employer.ts';
import { EMPLOYER_ATTEMPTS_PROSE } from './routes/employer-attempts.ts';
import { PUBLIC_PROSE } from './routes/public.ts';
import { ROUTES } from './routes.ts';
import { ProblemSchema } from './schemas/problem.ts';

type Json = Record<string, unknown>;

/**
 * JSON Schema of a zod schema for OpenAPI 3.1 (which is JSON Schema 2020-12). Named
 * sub-schemas land in `components.schemas` and references are rewritten to point there.
 */
function schemaOf(schema: z.ZodMiniType, io: 'input' | 'output', components: Json): Json {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  delete json.$schema;
  const defs = json.$defs as Json | undefined;
  delete json.$defs;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object') {
      const out: Json = {};
      for (const [k, v] of Object.entries(value)) {
        out[k] =
          k === '$ref' && typeof v === 'string'
            ? v.replace('#/$defs/', '#/components/schemas/')
            : rewrite(v);
      }
      return out;
    }
    return value;
  };
  for (const [name, def] of Object.entries(defs ?? {})) components[name] = rewrite(def);
  return rewrite(json) as Json;
}

function parametersOf(route: RouteDef, components: Json, prose: Prose): Json[] {
  const out: Json[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const json = schemaOf(schema, 'input', components);
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, prop] of Object.entries((json.properties as Json | undefined) ?? {})) {
      const p = prop as Json;
      out.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(p.description ? { description: p.description } : {}),
        schema: p,
      });
    }
  }
  for (const h of route.headers ?? []) {
    const description = prose.headers?.[h.name] ?? h.description;
    if (!description) throw new Error(`${route.operationId}: header ${h.name} has no description`);
    out.push({
      name: h.name,
      in: 'header',
      required: h.required,
      description,
      schema: h.schema ? schemaOf(h.schema, 'input', components) : { type: 'string' },
    });
  }
  return out;
}

const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before sending the request again.',
    schema: { type: 'integer', minimum: 1 },
  },
};

/** The body of API Gateway's own answers (never a function's). */
const GATEWAY_MESSAGE = {
  type: 'object',
  properties: { message: { type: 'string' } },
  required: ['message'],
};

const PROBLEM = {
  'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
};

const problemResponse = (description: string) => ({ description, content: PROBLEM });

/** Every 401, the gateway's and the functions' alike, names the scheme (RFC 9110 section 15.5.2). */
const WWW_AUTHENTICATE = {
  'WWW-Authenticate': {
    description: 'The scheme to authenticate with: `Bearer`.',
    required: true,
    schema: { type: 'string', pattern: '^Bearer' },
  },
};

/** A route's declared response headers, as OpenAPI header objects. */
function headersOf(headers: Readonly<Record<string, ResponseHeaderDef>>): Json {
  return Object.fromEntries(
    Object.entries(headers).map(([name, h]) => [
      name,
      {
        description: h.description,
        ...(h.required ? { required: true } : {}),
        schema: h.schema ?? { type: 'string' },
      },
    ]),
  );
}

/** API Gateway's answer to a body over its payload quota (10 MB, any route). */
const GATEWAY_413 =
  'A body over 10 MB is refused by API Gateway before any function runs: `{"message":"Request Entity Too Large"}` (application/json).';

/** API Gateway's JWT authorizer refusing a staff token answers before any function runs. */
const GATEWAY_401 = {
  description:
    'Missing or invalid credential. A staff token the HTTP API’s JWT authorizer refuses is answered by API Gateway itself (`{"message":"Unauthorized"}` with WWW-Authenticate); everything else by the function (problem+json).',
  content: { ...PROBLEM, 'application/json': { schema: GATEWAY_MESSAGE } },
};

/** The tags of the document: one per function group. */
const TAGS = [
  { name: 'public', description: 'Health, readiness, the skill areas and this document.' },
  {
    name: 'authoring',
    description: 'Question banks, questions, item statistics and calibration (role author).',
  },
  {
    name: 'employer',
    description: 'Assessments, invitations and the organisation (role employer).',
  },
  {
    name: 'employer-attempts',
    description:
      'Results, reports, previews, more time and erasing candidate data: attempts as an employer sees them (role employer).',
  },
  {
    name: 'candidate',
    description: 'Invitations as a candidate sees them, attempts, answers and results.',
  },
];

/** A short summary: the description's first sentence (the whole of it when it is short). */
function summaryOf(text: string): string {
  const m = /^(.*?[.!?])(?:\s|$)/.exec(text);
  const first = m ? m[1]! : text;
  return first.length <= 120 ? first : `${first.slice(0, 117).replace(/\s+\S*$/, '')}...`;
}

interface Prose {
  readonly summary: string;
  readonly responses: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly responseHeaders?: Readonly<
    Record<string, Readonly<Record<string, ResponseHeaderDef>> | undefined>
  >;
}

/** Every route's prose by operationId (routes/<group>.ts: kept out of the Lambda bundles). */
const PROSE: Readonly<Record<string, Prose>> = {
  ...PUBLIC_PROSE(),
  ...AUTHORING_PROSE(),
  ...EMPLOYER_PROSE(),
  ...EMPLOYER_ATTEMPTS_PROSE(),
  ...CANDIDATE_PROSE(),
};

/** The OpenAPI 3.1 document of the route table. */
export function buildOpenApi(routes: readonly RouteDef[] = ROUTES, serverUrl = '/'): Json {
  const components: Json = {};
  // Registered as `Problem`: this puts it in components (the returned value is its $ref).
  schemaOf(ProblemSchema, 'output', components);
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const prose = PROSE[route.operationId];
    if (!prose) throw new Error(`${route.operationId} has no prose (routes/${route.group}.ts)`);
    const responses: Json = {};
    for (const [status, def] of Object.entries(route.responses)) {
      const type = def.contentType ?? 'application/json';
      const content: Json =
        Number(status) >= 400
          ? { ...PROBLEM }
          : def.schema || def.contentType
            ? {
                [type]: {
                  schema: def.schema
                    ? schemaOf(def.schema, 'output', components)
                    : { type: 'string' },
                },
              }
            : {};
      for (const alt of def.alternatives ?? []) content[alt] = { schema: { type: 'string' } };
      const description = prose.responses[status];
      const responseHeaders = prose.responseHeaders?.[status];
      if (!description) throw new Error(`${route.operationId} ${status} has no description`);
      responses[status] = {
        description,
        ...(responseHeaders ? { headers: headersOf(responseHeaders) } : {}),
        ...(Object.keys(content).length ? { content } : {}),
      };
    }
    // Every route answers 400 for bad input: one that takes no body refuses a body sent to it
    // (functions/http/api.ts, `bodyNotTaken`), parameters or none.
    responses['400'] ??= problemResponse(
      route.body
        ? 'Invalid input: every invalid field is named in `errors`.'
        : 'Invalid input: every invalid field is named in `errors`. This route takes no request body: one sent to it (other than an empty one, whitespace only or `{}`), whatever its size or content type, is refused, named `(body)`.',
    );
    // Over 10 MB, on any route, API Gateway refuses the body itself: its JSON message, never a
    // function's problem (docs/contract.md, "Which 413 comes from where").
    if (route.body) {
      // The function's own 413 (problem+json): the route's limit on the wire, and on a raw-body
      // route also the text's limit after decompression (a gzip bomb stops there, api.ts).
      const own =
        (responses['413'] as Json | undefined)?.description ??
        `The body is larger than this route takes (${route.consumes?.some((c) => c !== 'application/json') ? '4 MiB' : '1 MiB'}).`;
      responses['413'] = {
        description: `${own} Answered by the function (problem+json). ${GATEWAY_413}`,
        content: { ...PROBLEM, 'application/json': { schema: GATEWAY_MESSAGE } },
      };
      responses['415'] ??= problemResponse(
        `The body’s Content-Type is missing or not one this route takes (${(route.consumes ?? ['application/json']).join(', ')}).`,
      );
    }
    // A route that takes no body refuses a smaller one with a 400: only the gateway's 413 is left.
    else
      responses['413'] ??= {
        description: `Only API Gateway's (this route refuses a smaller body with a 400). ${GATEWAY_413}`,
        content: { 'application/json': { schema: GATEWAY_MESSAGE } },
      };
    if (isStaff(route.access)) responses['401'] ??= GATEWAY_401;
    else if (route.access === 'candidate')
      responses['401'] ??= problemResponse('Missing or invalid attempt token.');
    if (responses['401']) responses['401'] = { ...responses['401'], headers: WWW_AUTHENTICATE };
    if (isStaff(route.access))
      responses['403'] ??= problemResponse('The token lacks the role this route needs.');
    if (route.params)
      responses['404'] ??= problemResponse('No such resource in your organisation.');
    // Any route may meet a busy gateway or a fault; docs/faults.md says which answer comes from
    // where and what a retry does.
    const declared503 = responses['503'] as Json | undefined;
    if (declared503) delete responses['503'];
    responses['429'] ??= {
      description:
        'Throttled by API Gateway (its body is `{"message":"Too Many Requests"}`): wait and send the request again.',
      headers: RETRY_AFTER,
      content: { 'application/json': { schema: GATEWAY_MESSAGE } },
    };
    responses['503'] ??= {
      description:
        'Temporarily unavailable: a database fault or the request running out of time (problem+json, code `unavailable`), or API Gateway giving up after 30 s (`{"message":"Service Unavailable"}`). Send the request again after Retry-After seconds; every write says what a retry does.',
      headers: RETRY_AFTER,
      content: {
        'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        'application/json': { schema: GATEWAY_MESSAGE },
      },
    };
    // A route's own 503 (readiness) keeps its description and may still meet API Gateway's.
    if (declared503) (responses['503'] as Json).description = declared503.description;

    const operation: Json = {
      operationId: route.operationId,
      summary: summaryOf(prose.summary),
      description: prose.summary,
      tags: [route.group],
      // OpenAPI 3.1: a non-OAuth scheme's requirement may list the roles it needs.
      security: isStaff(route.access)
        ? [{ staffJwt: [...route.access] }]
        : route.access === 'candidate'
          ? [{ attemptToken: [] }]
          : [],
      parameters: parametersOf(route, components, prose),
      responses,
    };
    if (route.body) {
      const content: Json = {};
      for (const type of route.consumes ?? ['application/json']) {
        content[type] = {
          schema:
            type === 'application/json'
              ? schemaOf(route.documentedBody ?? route.body, 'input', components)
              : { type: 'string' },
        };
      }
      operation.requestBody = { required: !route.optionalBody, content };
    }
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Assay API',
      version: '1.0.0',
      description:
        'Skills assessments for backend engineers: question banks, server-timed attempts, skill profiles. Errors are application/problem+json (RFC 9457); the few answers API Gateway gives itself are `{"message": ...}` JSON (docs/faults.md).',
      license: { name: 'MIT', identifier: 'MIT' },
      // The repository names no public address; the operator's deployment may add one.
      contact: { name: 'Assay maintainers' },
    },
    tags: TAGS,
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        staffJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'Cognito ID token of a staff user: group authors or employers, claim custom:org.',
        },
        attemptToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The opaque attempt token returned when the attempt was started or resumed.',
        },
      },
    },
  };
}
