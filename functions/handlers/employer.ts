import { listAssessments } from '../data/assessments.ts';
import {
  eraseCompletedAttempt,
  eraseOldLayoutAttempt,
  listResults,
} from '../data/attempt-results.ts';
import {
  eraseInvitationCandidate,
  listInvitations,
  revokeInvitation,
} from '../data/invitations.ts';
import { mailConfigured } from '../data/mailer.ts';
import { getOrganisation, putOrganisation } from '../data/organisations.ts';
import { normsOf, readNorms } from '../data/statistics.ts';
import { clock } from '../domain/clock.ts';
import { DomainError, ValidationError } from '../domain/errors.ts';
import { currentProfile } from '../domain/profile.ts';
import { radarSvg } from '../domain/radar-svg.ts';
import { isReservedName } from '../domain/reserved.ts';
import { AREAS } from '../domain/taxonomy.ts';
import {
  createHttpHandler,
  type HttpEvent,
  type HttpResult,
  type Operations,
  Reply,
} from '../http/api.ts';
import { clientIp } from '../http/client-ip.ts';
import { resultsCsv } from '../http/csv.ts';
import { REPORT_CONTENT_SECURITY_POLICY, reportHtml } from '../http/report-html.ts';
import { EMPLOYER_ROUTES } from '../http/routes/employer.ts';
import {
  assessmentView,
  createAssessment,
  createAssessmentOnce,
  createInvitations,
  invitationView,
  ownAssessment,
  ownInvitation,
} from '../services/assessments.ts';
import { attemptView, currentDeadline, settle } from '../services/attempts.ts';
import { extendAttempt, previewTakeUrl, startPreview } from '../services/employer-attempts.ts';
import {
  archiveAssessment,
  cloneAssessment,
  deleteAssessment,
  patchAssessment,
  resendInvitation,
} from '../services/lifecycle.ts';
import {
  attemptReport,
  finishedAttemptReport,
  ownAttempt,
  withPercentile,
} from '../services/reports.ts';

const limitOf = (q: { limit?: string }) => (q.limit ? Number(q.limit) : 50);

/**
 * The request's Idempotency-Key, if any: 16-128 characters (400 naming the header otherwise), one
 * rule for every route that takes it; `advice` says what a good key is for this route.
 */
function idempotencyKey(headers: Record<string, string | undefined>, advice: string) {
  const key = headers['idempotency-key'];
  if (key !== undefined && (key.length < 16 || key.length > 128 || isReservedName(key))) {
    throw new ValidationError([
      {
        path: 'header.idempotency-key',
        message: `Idempotency-Key is 16-128 characters: ${advice}.`,
      },
    ]);
  }
  return key;
}

const STILL_ACTIVE =
  'The attempt is still active: its report exists once it is submitted or its time runs out.';

export const operations: Operations<typeof EMPLOYER_ROUTES> = {
  createAssessment: async ({ principal, body, headers }) => {
    const key = idempotencyKey(
      headers,
      'use a random value such as a UUID, one per assessment you mean',
    );
    const now = clock.now();
    const assessment = key
      ? await createAssessmentOnce(principal!, body, now, key)
      : await createAssessment(principal!, body, now);
    return new Reply(201, assessmentView(assessment));
  },

  listAssessments: async ({ principal, query }) => {
    const page = await listAssessments(principal!.org, limitOf(query), query.cursor);
    return { items: page.items.map(assessmentView), nextCursor: page.nextCursor };
  },

  getAssessment: async ({ principal, params }) =>
    assessmentView(await ownAssessment(principal!.org, params.assessmentId)),

  updateAssessment: async ({ principal, params, body }) =>
    assessmentView(await patchAssessment(principal!, params.assessmentId, body, clock.now())),

  deleteAssessment: async ({ principal, params }) => {
    await deleteAssessment(principal!, params.assessmentId, clock.now());
    return new Reply(204);
  },

  archiveAssessment: async ({ principal, params }) =>
    assessmentView(await archiveAssessment(principal!, params.assessmentId, true, clock.now())),

  unarchiveAssessment: async ({ principal, params }) =>
    assessmentView(await archiveAssessment(principal!, params.assessmentId, false, clock.now())),

  cloneAssessment: async ({ principal, params, body }) =>
    new Reply(
      201,
      assessmentView(await cloneAssessment(principal!, params.assessmentId, body, clock.now())),
    ),

  resendInvitation: async ({ principal, params, body }) =>
    resendInvitation(principal!, params.invitationId, body, clock.now()),

  // sendsMail tells the console whether to offer send: true (a deployment, not a setting).
  getOrganisation: async ({ principal }) => ({
    ...(await getOrganisation(principal!.org)),
    sendsMail: mailConfigured(),
  }),

  putOrganisation: async ({ principal, body }) => ({
    ...(await putOrganisation(principal!.org, body, clock.now())),
    sendsMail: mailConfigured(),
  }),

  createInvitations: async ({ principal, params, body, headers }) => {
    // The invitations' tokens derive from the key (see derivedSecret): it must not be guessable.
    const key = idempotencyKey(
      headers,
      'use a random value such as a UUID (the tokens of the invitations it creates derive from it)',
    );
    return new Reply(
      201,
      await createInvitations(principal!, params.assessmentId, body, clock.now(), key),
    );
  },

  listInvitations: async ({ principal, params, query }) => {
    await ownAssessment(principal!.org, params.assessmentId);
    const page = await listInvitations(
      principal!.org,
      params.assessmentId,
      limitOf(query),
      query.cursor,
    );
    const now = clock.now();
    return { items: page.items.map((i) => invitationView(i, now)), nextCursor: page.nextCursor };
  },

  revokeInvitation: async ({ principal, params }) => {
    await revokeInvitation(principal!.org, params.invitationId, clock.now());
    return new Reply(204);
  },

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
    if (/\btext\/csv\b/i.test(headers.accept ?? '')) {
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
    return new Reply(200, radarSvg(areas, { title: `${who}: ${c.title}` }), {
      'content-type': 'image/svg+xml; charset=utf-8',
      'cache-control': 'private, max-age=300',
    });
  },
};

const http = createHttpHandler('employer', EMPLOYER_ROUTES, operations);

/**
 * The function's handler. An HTML page (the printable report) gets its own
 * Content-Security-Policy in place of the API's default one, which forbids every style: the
 * page's only style source is the hash of its stylesheet (see `http/report-html.ts`).
 */
export async function handler(
  event: HttpEvent,
  context: Parameters<typeof http>[1],
): Promise<HttpResult> {
  const res = await http(event, context);
  const headers = res.headers ?? {};
  const type = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  if (String(type ?? '').startsWith('text/html')) {
    for (const k of Object.keys(headers))
      if (k.toLowerCase() === 'content-security-policy') delete headers[k];
    headers['Content-Security-Policy'] = REPORT_CONTENT_SECURITY_POLICY;
    res.headers = headers;
  }
  return res;
}
