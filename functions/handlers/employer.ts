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
import { type Norms, normsOf, readNorms } from '../data/statistics.ts';
import { clock } from '../domain/clock.ts';
import { DomainError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { radarSvg } from '../domain/radar-svg.ts';
import { percentileOf } from '../domain/statistics.ts';
import { AREAS } from '../domain/taxonomy.ts';
import { createHttpHandler, type Operations, Reply } from '../http/api.ts';
import { resultsCsv } from '../http/csv.ts';
import { EMPLOYER_ROUTES } from '../http/routes/employer.ts';
import {
  assessmentView,
  createAssessment,
  createInvitations,
  invitationView,
  ownAssessment,
  ownInvitation,
} from '../services/assessments.ts';
import { completionFor, developmentOf, type Loaded, settle } from '../services/attempts.ts';
import {
  archiveAssessment,
  cloneAssessment,
  deleteAssessment,
  patchAssessment,
  resendInvitation,
} from '../services/lifecycle.ts';

/** `{percentile}` once the assessment has enough completed attempts, else nothing. */
function withPercentile(score: number, norms: Norms) {
  const p = percentileOf(score, norms.histogram, norms.n);
  return p === undefined ? {} : { percentile: p };
}

const limitOf = (q: { limit?: string }) => (q.limit ? Number(q.limit) : 50);

/**
 * An attempt of this organisation: its completion (one read of its result), or while it runs
 * its draw and state; finalised first if its time ran out. Another organisation's is 404.
 */
async function ownAttempt(org: string, attemptId: string) {
  const found = await completionFor(attemptId, clock.now());
  const owner = found?.completion?.org ?? found?.loaded?.draw.org;
  if (!found || owner !== org) throw new NotFoundError(`Attempt ${attemptId}`);
  return found;
}

/** The report of an attempt that is still running: who, when, nothing graded yet. */
function runningReport(l: Loaded) {
  return {
    attemptId: l.draw.attemptId,
    status: l.state.status,
    candidate: l.draw.candidate ?? {},
    assessment: { assessmentId: l.draw.assessmentId, title: l.draw.title },
    startedAt: l.draw.startedAt,
    areas: [],
    strengths: [],
    gaps: [],
    development: [],
    integrity: { signals: [] },
    questions: [],
  };
}

export const operations: Operations<typeof EMPLOYER_ROUTES> = {
  createAssessment: async ({ principal, body }) =>
    new Reply(201, assessmentView(await createAssessment(principal!, body, clock.now()))),

  listAssessments: async ({ principal, query }) => {
    const page = await listAssessments(principal!.org, limitOf(query), query.cursor);
    return { items: page.items.map(assessmentView), nextCursor: page.nextCursor };
  },

  getAssessment: async ({ principal, params }) =>
    assessmentView(await ownAssessment(principal!.org, params.assessmentId)),

  updateAssessment: async ({ principal, params, body }) =>
    assessmentView(await patchAssessment(principal!, params.assessmentId, body, clock.now())),

  deleteAssessment: async ({ principal, params }) => {
    await deleteAssessment(principal!, params.assessmentId);
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
    const key = headers['idempotency-key'];
    // The invitations' tokens derive from the key (see derivedSecret): it must not be guessable.
    if (key !== undefined && (key.length < 16 || key.length > 128)) {
      throw new ValidationError([
        {
          path: 'header.idempotency-key',
          message:
            'Idempotency-Key is 16-128 characters: use a random value such as a UUID (the tokens of the invitations it creates derive from it).',
        },
      ]);
    }
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
        `The candidate's attempt is in progress until ${attempt.draw.deadline}; erase their data once it has finished.`,
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

  getReport: async ({ principal, params }) => {
    const found = await ownAttempt(principal!.org, params.attemptId);
    const c = found.completion;
    if (!c) return runningReport(found.loaded!);
    const r = c.result;
    const norms = await readNorms(c.org, c.assessmentId);
    return {
      attemptId: c.attemptId,
      status: c.status,
      candidate: c.candidate ?? {},
      assessment: { assessmentId: c.assessmentId, title: c.title },
      startedAt: c.startedAt,
      completedAt: c.completedAt,
      secondsUsed: Math.round((Date.parse(c.completedAt) - Date.parse(c.startedAt)) / 1000),
      score: r.score,
      ...(r.passed !== undefined ? { passed: r.passed } : {}),
      ...withPercentile(r.score, norms),
      technical: r.technical,
      soft: r.soft,
      areas: r.areas,
      ...developmentOf(r),
      integrity: r.integrity ?? { signals: [] },
      questions: r.questions,
    };
  },

  getReportSvg: async ({ principal, params }) => {
    const found = await ownAttempt(principal!.org, params.attemptId);
    const c = found.completion;
    if (!c)
      throw new DomainError(
        'conflict',
        'The attempt is still active: its profile exists once it is submitted or its time runs out.',
      );
    const who = c.candidate?.name ?? c.candidate?.externalId ?? `attempt ${c.attemptId}`;
    return new Reply(200, radarSvg(c.result.areas, { title: `${who}: ${c.title}` }), {
      'content-type': 'image/svg+xml; charset=utf-8',
      'cache-control': 'private, max-age=300',
    });
  },
};

export const handler = createHttpHandler('employer', EMPLOYER_ROUTES, operations);
