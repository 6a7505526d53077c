/**
 * Which actions this server has, read from its OpenAPI document (`GET /v1/openapi.json`) when
 * the console starts: an action whose route the server lacks is not shown, so the console
 * works against servers from before and after those routes land and never shows a button
 * that would 404.
 */

/** Each optional action and the route (method and path, parameters as `{}`) it calls. */
export const OPTIONAL_ROUTES = {
  resend: 'POST /v1/invitations/{}/resend',
  extend: 'POST /v1/attempts/{}/extend',
  archive: 'POST /v1/assessments/{}/archive',
  unarchive: 'DELETE /v1/assessments/{}/archive',
  clone: 'POST /v1/assessments/{}/clone',
  preview: 'POST /v1/assessments/{}/preview',
  deleteAssessment: 'DELETE /v1/assessments/{}',
  update: 'PATCH /v1/assessments/{}',
  imports: 'GET /v1/imports/{}',
  organisation: 'GET /v1/organisation',
  revoke: 'DELETE /v1/invitations/{}',
  reportSvg: 'GET /v1/attempts/{}/report.svg',
} as const;

export type OptionalAction = keyof typeof OPTIONAL_ROUTES;

export interface Capabilities {
  has(action: OptionalAction): boolean;
  /** Whether invitations take `send: true` (emailed by the server). */
  sendInvitations: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is read field by field
type Doc = any;

/** `/v1/assessments/{assessmentId}/archive` -> `/v1/assessments/{}/archive`. */
export const normalisePath = (path: string) => path.replace(/\{[^}]*\}/g, '{}');

/** `METHOD /path` for every operation of the document. */
export function routesOf(doc: Doc): Set<string> {
  const out = new Set<string>();
  for (const [path, item] of Object.entries<Record<string, unknown>>(doc?.paths ?? {})) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
      if (item?.[method]) out.add(`${method.toUpperCase()} ${normalisePath(path)}`);
    }
  }
  return out;
}

function resolve(doc: Doc, schema: Doc): Doc {
  const ref = schema?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema;
  return ref
    .slice(2)
    .split('/')
    .reduce((node: Doc, key: string) => node?.[key], doc);
}

/** The JSON request body's property names of an operation. */
export function bodyProperties(doc: Doc, method: string, path: string): Set<string> {
  for (const [p, item] of Object.entries<Doc>(doc?.paths ?? {})) {
    if (normalisePath(p) !== normalisePath(path)) continue;
    const schema = resolve(
      doc,
      item?.[method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema,
    );
    return new Set(Object.keys(schema?.properties ?? {}));
  }
  return new Set();
}

export function capabilitiesOf(doc: Doc): Capabilities {
  const routes = routesOf(doc);
  return {
    has: (action) => routes.has(OPTIONAL_ROUTES[action]),
    sendInvitations: bodyProperties(doc, 'POST', '/v1/assessments/{}/invitations').has('send'),
  };
}
