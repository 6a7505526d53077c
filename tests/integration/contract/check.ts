/**
 * Holding one exchange (a generated request and the server's answer) against the document:
 * the status is declared, the content type is declared for it, the body fits its schema, a
 * request the server accepted is one the document allows, one the document refuses is not
 * accepted, and a header value the document allows is not refused for that header.
 */
import { type Json, mediaType, type SchemaValidator } from './document.ts';
import type { GeneratedRequest } from './requests.ts';

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  /** Response headers, names lower-cased. */
  headers: Record<string, string>;
}

/**
 * Response headers a client acts on: when the server sends one, the document declares it for
 * that status (a client generated from the document would otherwise never read it).
 */
const MEANINGFUL_HEADERS = [
  'location',
  'etag',
  'retry-after',
  'content-disposition',
  'link',
  'preference-applied',
  'www-authenticate',
];

export interface Exchange {
  request: GeneratedRequest;
  answer: Answer;
}

const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');

/** Why the request's parts do not fit the document, or undefined when they do. */
function requestMisfit(validator: SchemaValidator, r: GeneratedRequest): string | undefined {
  for (const p of r.operation.parameters) {
    const value = r.parts[p.in][p.name];
    if (value === undefined) {
      if (p.required) return `${p.in} ${p.name} is required`;
      continue;
    }
    const e = validator.errors(p.schema ?? {}, value);
    if (e) return `${p.in} ${p.name}: ${e}`;
  }
  const content = r.operation.op.requestBody?.content as Record<string, Json> | undefined;
  const type = r.parts.contentType;
  // No requestBody: the operation takes none (docs/contract.md); whitespace only is no body.
  if (!content) return r.body?.trim() ? 'a body, which the operation does not take' : undefined;
  if (!type) return r.operation.op.requestBody.required ? 'the body is required' : undefined;
  if (!content[type]) return `content type ${type} is not one the operation takes`;
  if (type === 'application/json') {
    const e = validator.errors(content[type].schema ?? {}, r.parts.body);
    if (e) return `body: ${e}`;
  }
  return undefined;
}

/** The problems of one exchange; empty when the server and the document agree on it. */
export function disagreements(validator: SchemaValidator, x: Exchange): string[] {
  const { request: r, answer: a } = x;
  const out: string[] = [];
  const responses = r.operation.op.responses ?? {};
  const declared = responses[String(a.status)] ?? responses.default;
  if (!declared) {
    out.push(`status ${a.status} is not declared (declared: ${Object.keys(responses).join(', ')})`);
  } else {
    const content = (declared.content ?? {}) as Record<string, Json>;
    if (a.text === '') {
      if (Object.keys(content).length && a.status !== 204)
        out.push(`status ${a.status} declares a body (${Object.keys(content)}) but none came`);
    } else if (!content[a.contentType]) {
      out.push(
        `status ${a.status} with ${a.contentType || 'no content type'} is not declared (declared: ${Object.keys(content).join(', ') || 'no body'})`,
      );
    } else if (isJson(a.contentType)) {
      let body: unknown;
      try {
        body = JSON.parse(a.text);
      } catch {
        out.push(`status ${a.status}: the body is not JSON`);
      }
      if (body !== undefined) {
        const e = validator.errors(content[a.contentType].schema ?? {}, body);
        if (e) out.push(`status ${a.status} body does not fit its schema: ${e}`);
      }
    }
    out.push(...headerDisagreements(validator, declared, a));
  }

  const accepted = a.status >= 200 && a.status < 300;
  const misfit = requestMisfit(validator, r);
  if (accepted && misfit) out.push(`accepted (${a.status}) what the document refuses: ${misfit}`);
  // The other direction: a request the document allows is not refused as invalid input, unless
  // a rule of state the schema cannot hold refused it (STATE_RULES).
  const jsonOrNone = !r.parts.contentType || r.parts.contentType === 'application/json';
  if (!misfit && a.status === 400 && jsonOrNone) {
    const paths: string[] = (safeJson(a.text)?.errors ?? []).map((e: { path?: string }) => e.path);
    const allowed = STATE_RULES[r.operation.operationId] ?? [];
    const unexplained = paths.filter((p) => !allowed.some((rule) => rule.test(p)));
    if (unexplained.length || !paths.length)
      out.push(
        `refused (400) what the document allows: ${unexplained.join(', ') || a.text.slice(0, 200)}`,
      );
  }
  if (r.expect.kind === 'status' && a.status !== r.expect.status)
    out.push(`expected ${r.expect.status}, got ${a.status}`);
  // Every invalid field named: a body member the variation broke (and the document refuses) is
  // named in the 400's errors[], itself or a member around it (a duplicate key by its own path).
  const member = r.expect.kind === 'valid' ? undefined : r.expect.member;
  if (a.status === 400 && member !== undefined && (misfit || r.expect.kind === 'status')) {
    const paths: string[] = (safeJson(a.text)?.errors ?? []).map((e: { path?: string }) => e.path);
    if (!paths.some((p) => namesMember(p, member)))
      out.push(
        `400 does not name the broken member ${member || '(body)'} (errors: ${paths.join(', ') || 'none'})`,
      );
  }
  if (r.expect.kind === 'variation' && r.expect.where === 'header' && !misfit && a.status === 400) {
    // The server names a refused header as header.<lower-case name> (functions/handlers).
    const named = safeJson(a.text)?.errors?.some(
      (e: { path?: string }) =>
        e.path === `header.${r.expect.kind === 'variation' ? r.expect.name.toLowerCase() : ''}`,
    );
    if (named) out.push(`refused a ${r.expect.name} header that the document allows`);
  }
  return out.map((m) => `${r.operation.operationId} [${r.label}] ${m}`);
}

/**
 * Rules of state that a schema cannot hold, by operation: a 400 naming these members may answer
 * a request the document allows. Each says why; anything else the document allows must pass.
 */
const OPTION_RULES = [
  // Option ids are unique within a question (JSON Schema's uniqueItems compares whole items).
  /options\[\d+\]\.id$/,
  // A key names the question's own options (or ranks all of them), which only the question knows.
  /(^|\.)answer\b/,
];
const FUTURE = /^expiresAt$/; // a date in the future: the server's clock decides
const STATE_RULES: Record<string, RegExp[]> = {
  saveAnswer: [/^answer\b/],
  uploadBank: OPTION_RULES,
  putImportPart: OPTION_RULES,
  // ... and the body's id is the path's questionId.
  editQuestion: [...OPTION_RULES, /^id$/],
  createInvitations: [FUTURE],
  resendInvitation: [FUTURE],
};

/** Whether an error path names `member` (e.g. sections[0].count) or a member that holds it. */
function namesMember(path: string, member: string): boolean {
  if (member === '' || path === '' || path === member) return true;
  return member.startsWith(`${path}.`) || member.startsWith(`${path}[`);
}

/** Declared headers that did not come, sent headers not declared, values outside their schema. */
function headerDisagreements(validator: SchemaValidator, declared: Json, a: Answer): string[] {
  const out: string[] = [];
  const headers = Object.fromEntries(
    Object.entries<Json>(declared.headers ?? {}).map(([n, h]) => [n.toLowerCase(), h]),
  );
  for (const [name, h] of Object.entries<Json>(headers)) {
    const value = a.headers[name];
    if (value === undefined) {
      if (h.required) out.push(`status ${a.status} lacks its required ${name} header`);
      continue;
    }
    const typed = h.schema?.type === 'integer' ? Number(value) : value;
    const e = validator.errors(h.schema ?? {}, typed);
    if (e) out.push(`status ${a.status} header ${name}: ${value} does not fit its schema: ${e}`);
  }
  for (const name of MEANINGFUL_HEADERS)
    if (a.headers[name] !== undefined && !headers[name])
      out.push(`status ${a.status} sends ${name}, which is not declared`);
  return out;
}

function safeJson(text: string): Json {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Statically: the document's own promises (descriptions, tags, info, problem bodies, no `{}`). */
export function documentFindings(doc: Json): string[] {
  const out: string[] = [];
  if (!doc.info?.license?.name) out.push('info has no license');
  if (!doc.info?.contact) out.push('info has no contact');
  const tags = new Set((doc.tags ?? []).map((t: { name: string }) => t.name));
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<Json>(item)) {
      const at = `${method.toUpperCase()} ${path}`;
      if (!op.description) out.push(`${at} has no description`);
      for (const t of op.tags ?? []) if (!tags.has(t)) out.push(`${at}: tag ${t} is not declared`);
      for (const [status, res] of Object.entries<Json>(op.responses ?? {})) {
        // Only API Gateway answers 429, and 413 where the function refuses any body with a 400
        // (its `{"message"}` body): docs/faults.md, docs/contract.md.
        const gatewayOnly = status === '429' || (status === '413' && !op.requestBody);
        if (Number(status) >= 400 && !gatewayOnly && !res.content?.['application/problem+json'])
          out.push(`${at} ${status} does not declare application/problem+json`);
      }
      // API Gateway refuses a body over 10 MB on every route.
      if (!op.responses?.['413']?.content?.['application/json'])
        out.push(`${at} declares no 413 of API Gateway's (a body over 10 MB)`);
      if (op.requestBody && !op.responses?.['415'])
        out.push(`${at} takes a body but declares no 415`);
      for (const s of ['429', '503']) if (!op.responses?.[s]) out.push(`${at} declares no ${s}`);
    }
  }
  // An empty schema promises nothing: every value, body and member must say what it is.
  const walk = (v: Json, at: string) => {
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries<Json>(v)) {
      const here = `${at}/${k}`;
      const isSchemaSlot =
        k === 'schema' || k === 'items' || (at.endsWith('/properties') && typeof x === 'object');
      if (
        isSchemaSlot &&
        x &&
        typeof x === 'object' &&
        !Array.isArray(x) &&
        Object.keys(x).length === 0
      )
        out.push(`${here} is an empty schema (anything goes)`);
      walk(x, here);
    }
  };
  walk(doc.paths, '#/paths');
  walk(doc.components, '#/components');
  return out;
}

export { mediaType };
