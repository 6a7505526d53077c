/**
 * The employer-attempts function: what an employer does with attempts. The results of an
 * assessment (JSON or CSV), an attempt's report (JSON, the printable HTML page, the radar chart
 * as SVG), more time for a running attempt, a preview attempt, and erasing a candidate's data.
 * Assessments, invitations and the organisation are the employer function's (`employer.ts`).
 */

import {
  eraseCompletedAttempt,
  eraseOldLayoutAttempt,
  listResults,
} from '../data/attempt-results.ts';
import { eraseInvitationCandidate } from '../data/invitations.ts';
import { normsOf, readNorms } from '../data/statistics.ts';
import { clock } from '../domain/clock.ts';
import { DomainError } from '../domain/errors.ts';
import { currentProfile } from '../domain/profile.ts';
import { AREAS } from '../domain/taxonomy.ts';
import { preferredMediaType } from '../http/accept.ts';
import {
  createHttpHandler,
  type HttpEvent,
  type HttpResult,
  type Operations,
  Reply,
} from '../http/api.ts';
import { clientIp } from '../http/client-ip.ts';
import { resultsCsv } from '../http/csv.ts';
import { EMPLOYER_ATTEMPTS_ROUTES } from '../http/routes/employer-attempts.ts';
import { idempotencyKey, limitOf } from '../http/staff-input.ts';
import { ownAssessment, ownInvitation } from '../services/assessments.ts';
import { attemptView, currentDeadline, settle } from '../services/attempts.ts';
import { extendAttempt, previewTakeUrl, startPreview } from '../services/employer-attempts.ts';
import {
  attemptReport,
  finishedAttemptReport,
  ownAttempt,
  withPercentile,
} from '../services/reports.ts';

/**
 * Whether the Accept header prefers the results as CSV over JSON, by its q-values
 * (`text/csv;q=0.5, application/json` is JSON); JSON when it names neither.
 */
const prefersCsv = (accept: string | undefined) =>
  preferredMediaType(accept, ['application/json', 'text/csv']) === 'text/csv';

const STILL_ACTIVE =
  'The attempt is still active: its report exists once it is submitted or its time runs out.';

export const operations: Operations<typeof EMPLOYER_ATTEMPTS_ROUTES> = {
  eraseCandidateData: async ({ principal, params }) => {
    const inv = await ownInvitation(principal!.org, params.invitationId);
    const now = clock.now();
    // A running attempt would keep collecting answers: erase once it has finished (at the
    // latest at its deadline). An unstarted invitation is revoked as it is erased.
    const attempt = inv.attemptId ? await settle(inv.attemptId, now) : undefined;
    if (attempt && !attempt.completion) {
      throw new DomainError(
        'conflict',
        `The candidate's attempt is in progress until ${currentDeadline(attempt)}; erase their data once it has finished.`,
      );
    }
    if (attempt) {
      const erased = attempt.oldLayout
        ? await eraseOldLayoutAttempt(principal!.org, inv.attemptId!, now)
        : await eraseCompletedAttempt(principal!.org, inv.attemptId!, now);
      if (!erased) {
        throw new DomainError(
          'conflict',
          "The candidate's attempt changed while erasing; try again.",
        );
      }
    }
    if (!(await eraseInvitationCandidate(principal!.org, inv, now))) {
      throw new DomainError('conflict', 'The invitation was used while erasing; try again.');
    }
    return new Reply(204);
  },

  listResults: async ({ principal, params, query, headers }) => {
    await ownAssessment(principal!.org, params.assessmentId);
    const page = await listResults(
      principal!.org,
      params.assessmentId,
      limitOf(query),
      query.cursor,
    );
    const norms = page.first
      ? normsOf(page.norms)
      : await readNorms(principal!.org, params.assessmentId);
    const items = page.items.map((row) => ({
      ...row,
      ...withPercentile(row.score, norms),
    }));
    if (prefersCsv(headers.accept)) {
      const areaIds = AREAS.map((x) => x.id).filter((id) => items.some((i) => id in i.areas));
      return new Reply(200, resultsCsv(items, areaIds), {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="results-${params.assessmentId}.csv"`,
        ...(page.nextCursor ? { link: `<?cursor=${page.nextCursor}>; rel="next"` } : {}),
      });
    }
    return { items, nextCursor: page.nextCursor };
  },

  getReport: async ({ principal, params }) =>
    attemptReport(principal!.org, params.attemptId, clock.now()),

  getReportHtml: async ({ principal, params }) => {
    const report = await finishedAttemptReport(principal!.org, params.attemptId, clock.now());
    if (!report) throw new DomainError('conflict', STILL_ACTIVE);
    const { reportHtml } = await import('#side/report');
    return new Reply(200, reportHtml(report), {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'private, no-store',
    });
  },

  extendAttempt: async ({ principal, params, body, headers }) => {
    const key = idempotencyKey(
      headers,
      'use a random value such as a UUID, one per extension you mean',
    );
    return extendAttempt(principal!, params.attemptId, body, clock.now(), key);
  },

  previewAssessment: async ({ principal, params, headers, event }) => {
    const now = clock.now();
    const started = await startPreview(principal!, params.assessmentId, now, {
      ...(headers['user-agent'] ? { userAgent: headers['user-agent'].slice(0, 200) } : {}),
      sourceIp: clientIp(event),
    });
    const view = await attemptView(started.loaded, now, started.attemptToken);
    return new Reply(
      201,
      { ...view, preview: true, takeUrl: previewTakeUrl(view.attemptId, started.attemptToken) },
      { 'cache-control': 'no-store' },
    );
  },

  getReportSvg: async ({ principal, params }) => {
    const found = await ownAttempt(principal!.org, params.attemptId, clock.now());
    const c = found.completion;
    if (!c) throw new DomainError('conflict', STILL_ACTIVE);
    const who = c.candidate?.name ?? c.candidate?.externalId ?? `attempt ${c.attemptId}`;
    const { areas } = currentProfile(c.result);
    const { radarSvg } = await import('#side/report');
    return new Reply(200, radarSvg(areas, { title: `${who}: ${c.title}` }), {
      'content-type': 'image/svg+xml; charset=utf-8',
      'cache-control': 'private, max-age=300',
    });
  },
};

const http = createHttpHandler('employer-attempts', EMPLOYER_ATTEMPTS_ROUTES, operations, {
  outputs: () => import('#side/outputs-employer-attempts'),
});

/**
 * The function's handler. The report's renderers (HTML page, radar chart) are a side entry,
 * `#side/report`, loaded by the two requests that render. An HTML page (the printable report)
 * gets its own Content-Security-Policy in place of the API's default one, which forbids every
 * style: the page's only style source is the hash of its stylesheet (see `http/report-html.ts`).
 */
export async function handler(
  event: HttpEvent,
  context: Parameters<typeof http>[1],
): Promise<HttpResult> {
  const res = await http(event, context);
  const headers = res.headers ?? {};
  const type = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  if (String(type ?? '').startsWith('text/html')) {
    // Loaded already: only the HTML report answers text/html.
    const { REPORT_CONTENT_SECURITY_POLICY } = await import('#side/report');
    for (const k of Object.keys(headers))
      if (k.toLowerCase() === 'content-security-policy') delete headers[k];
    headers['Content-Security-Policy'] = REPORT_CONTENT_SECURITY_POLICY;
    res.headers = headers;
  }
  return res;
}
