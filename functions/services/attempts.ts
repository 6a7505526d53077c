/**
 * The candidate's side: start or resume, answer, finish, and reading a finished attempt. Shared
 * by the candidate handler, the employer handler (reading an attempt finalises it if its time
 * ran out) and the sweeper job. Every decision that races is a conditional write in
 * `data/attempts.ts`; the layout and its states are docs/access-patterns.md and
 * docs/state-machines.md.
 */

import { type Assessment, getAssessment } from '../data/assessments.ts';
import { pageEventsOf } from '../data/attempt-events.ts';
import {
  completionOfOldLayout,
  convertOldLayout,
  drawOfOldLayout,
  type OldLayoutAttempt,
} from '../data/attempt-legacy.ts';
import {
  type Completion,
  completionOf,
  getResult,
  putResult,
  putRow,
} from '../data/attempt-results.ts';
import {
  type AttemptDraw,
  type AttemptState,
  CONVERTED_HEAD_EXTRA_BYTES,
  completeInvitation,
  createAttemptItems,
  type DueEntry,
  deadlineOfDue,
  getDraw,
  MAX_RECORDED_SESSIONS,
  pageCount,
  planPages,
  readCompletionContext,
  readHead,
  readPage,
  recordSession,
  rememberDraw,
  rotateToken,
  type Session,
  saveAdaptiveAnswer,
  saveAnswer,
  sealAttempt,
  ttlOf,
} from '../data/attempts.ts';
import { getInvitation, type Invitation } from '../data/invitations.ts';
import { questionVersions } from '../data/question-cache.ts';
import {
  type AdaptiveSectionDraw,
  currentItem,
  type SectionState,
  sectionResponses,
  stepAfterSave,
} from '../domain/adaptive-section.ts';
import { deadlineOf, drawQuestions, dueAtOf } from '../domain/assessment.ts';
import {
  DomainError,
  GoneError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from '../domain/errors.ts';
import {
  answerToBank,
  answerToHandles,
  contentWithHandles,
  type OptionHandles,
  slotOfHandle,
  viewWithHandles,
} from '../domain/handles.ts';
import { newUlid } from '../domain/ids.ts';
import { localeOr } from '../domain/locales.ts';
import { isStorableNumber, STORABLE_NUMBER_MESSAGE } from '../domain/numbers.ts';
import { currentProfile } from '../domain/profile.ts';
import {
  answerKind,
  candidateView,
  gradeResponse,
  parseResponse,
  type QuestionContent,
  startQuestion,
} from '../domain/question.ts';
import { nullRecord } from '../domain/reserved.ts';
import { type AttemptResult, scoreAttempt } from '../domain/result.ts';
import { hashSecret, newSecret, parseInvitationToken, secretMatches } from '../domain/tokens.ts';
import {
  adaptiveSlot,
  adaptiveView,
  attemptContents,
  drawSections,
  gradingInput,
  poolOf,
  sectionViews,
  shownItems,
  shownUnanswered,
} from './adaptive-attempts.ts';
import { claimForStart } from './content-lock.ts';
import { RETENTION_DAYS } from './retention.ts';

export interface ClientInfo {
  userAgent?: string;
  sourceIp?: string;
}

export const INVALID_LINK =
  'This invitation link is not valid. Check that the whole link was copied.';

/**
 * The 401 for a token that does not match its invitation. When the employer has replaced the
 * link since (resend), the old link from the first email is the likely cause: say so
 * (`reason: replaced`), rather than send the candidate looking for a copying mistake.
 */
export function invalidLink(inv: { linkReplacedAt?: string } | undefined): UnauthorizedError {
  return inv?.linkReplacedAt
    ? new UnauthorizedError(
        `This link was replaced by a newer one at ${inv.linkReplacedAt}: use the link in the most recent email, or ask the employer for it.`,
        { reason: 'replaced' },
      )
    : new UnauthorizedError(INVALID_LINK);
}
const WRONG_TOKEN =
  'The attempt token does not match this attempt (a resume elsewhere replaces it).';

/** An attempt as the service works with it: what never changes, and its current state. */
export interface Loaded {
  draw: AttemptDraw;
  state: AttemptState;
  /** Set once the attempt is finished. */
  completion?: Completion;
  /** An attempt stored in the old layout (finished: read in place, never written again). */
  oldLayout?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Answer pages.

/**
 * Bytes planned for an answer that is neither options nor a number: a short text. Longer texts
 * are still stored; a page full of them can cost 2 WCU a save (docs/access-patterns.md).
 */
export const SHORT_ANSWER_BYTES = 48;
/** A storable number: at most 15 significant digits, about one byte per two digits. */
const NUMBER_BYTES = 11;

/**
 * The bytes an answer to this question is planned to take in its answer page, by what its type
 * declares an answer is (so nothing here names a question type): one option id, any list of its
 * option ids, a number, or else a short text.
 */
export function answerAllowance(q: QuestionContent): number {
  const kind = answerKind(q);
  const ids = kind === 'one id' || kind === 'ids' ? (q.options?.map((o) => o.id) ?? []) : [];
  if (kind === 'one id' && ids.length) return Math.max(...ids.map((id) => id.length));
  if (kind === 'ids') return 3 + ids.reduce((n, id) => n + id.length + 1, 0);
  return kind === 'number' ? NUMBER_BYTES : SHORT_ANSWER_BYTES;
}

// ---------------------------------------------------------------------------------------------
// Loading.

/** The state of a finished old-layout attempt, for the readers that show its answers. */
function loadedOfOldLayout(a: OldLayoutAttempt): Loaded {
  const answers = new Map(
    a.questions.flatMap((q, i) => {
      const s = a.answers?.[q.q];
      return s ? [[i, { value: s.value, savedAt: s.savedAt, revision: 1 }] as const] : [];
    }),
  );
  return {
    draw: drawOfOldLayout(
      a,
      a.questions.map(() => 0),
    ),
    state: {
      attemptId: a.attemptId,
      status: a.status,
      tokenHash: a.tokenHash,
      dueAt: a.dueAt,
      ...(a.completedAt ? { completedAt: a.completedAt } : {}),
      resumeCount: a.resumeCount ?? 0,
      extensions: 0,
      dueIndexOnHead: false,
      answers,
      sections: new Map(),
    },
    ...(a.status !== 'active' && a.result ? { completion: completionOfOldLayout(a) } : {}),
    oldLayout: true,
  };
}

/**
 * The attempt's draw and state (head read strongly consistent). A running old-layout attempt is
 * converted on the way; a finished one is read in place. Undefined: no such attempt.
 */
export async function load(attemptId: string): Promise<Loaded | undefined> {
  for (let round = 0; round < 3; round++) {
    const draw = await getDraw(attemptId);
    const head = await readHead(attemptId, draw ? pageCount(draw) : 1);
    if (!head) return undefined;
    if (head.layout === 'v2') {
      if (!draw) {
        // Its start wrote the draw, then the head, both between this round's two reads: the
        // next round's draw read finds it.
        if (round < 2) continue;
        throw new Error(`Attempt ${attemptId} has a head but no draw`);
      }
      return { draw, state: head.state };
    }
    const old = head.item as unknown as OldLayoutAttempt;
    if (old.status !== 'active') return loadedOfOldLayout(old);
    const contents = await questionVersions(old.questions);
    const pages = planPages(
      old.questions.map((q) => answerAllowance(contents.get(q.q)!)),
      CONVERTED_HEAD_EXTRA_BYTES,
    );
    const converted = await convertOldLayout(old, pages, RETENTION_DAYS);
    if (converted.converted) {
      rememberDraw(converted.draw);
      return { draw: converted.draw, state: converted.state };
    }
    // An answer saved by an old function in between: read it again.
  }
  throw new DomainError('conflict', 'The attempt is changing too fast to read; try again.');
}

/**
 * What a write to the attempt needs: its draw (cached), converting a running old-layout attempt
 * first. A finished old-layout attempt comes with its completion (it takes no more writes).
 * Undefined: no such attempt.
 */
async function writeTarget(
  attemptId: string,
): Promise<{ draw: AttemptDraw; finished?: Completion; state?: AttemptState } | undefined> {
  const draw = await getDraw(attemptId);
  if (draw) return { draw };
  const loaded = await load(attemptId);
  if (!loaded) return undefined;
  return {
    draw: loaded.draw,
    state: loaded.state,
    ...(loaded.completion ? { finished: loaded.completion } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// The candidate view.

/** The attempt's current deadline: the head's `due` minus the grace period (extensions move it). */
export const currentDeadline = (loaded: Pick<Loaded, 'draw' | 'state'>) =>
  deadlineOfDue(loaded.state.dueAt, loaded.draw);

/**
 * The candidate view of an attempt: questions in this attempt's order (an adaptive section's
 * items as shown so far), its sections (adaptive ones with their progress), no keys, no scores.
 * The deadline is the head's (an extension moves it), never the cached draw's.
 */
export async function attemptView(loaded: Loaded, now: Date, attemptToken?: string) {
  const { draw, state } = loaded;
  const contents = await attemptContents(draw);
  const items = shownItems(draw, state);
  const shown = items.map((it) => questionView(draw, it.ref, contents, it.index));
  const bySlot = new Map(items.map((it, n) => [it.index, shown[n]!]));
  // Null-prototype records keyed by handle: never reading a prototype.
  const answers = nullRecord<unknown>();
  const revisions = nullRecord<{ revision: number; savedAt: string }>();
  for (const [i, a] of state.answers) {
    const q = bySlot.get(i);
    if (!q) continue;
    answers[q.view.questionId] = answerToHandles(a.value, q.options);
    revisions[q.view.questionId] = { revision: a.revision, savedAt: a.savedAt };
  }
  const sections = sectionViews(draw, state);
  return {
    attemptId: draw.attemptId,
    ...(attemptToken ? { attemptToken } : {}),
    status: state.status,
    ...(draw.preview ? { preview: true } : {}),
    startedAt: draw.startedAt,
    deadline: currentDeadline(loaded),
    gracePeriodSeconds: draw.gracePeriodSeconds,
    serverTime: now.toISOString(),
    assessment: { title: draw.title, timeLimitMinutes: draw.timeLimitMinutes },
    questions: shown.map((q) => q.view),
    answers,
    revisions,
    ...(sections ? { sections } : {}),
  };
}

/**
 * One question as the candidate sees it in this attempt, named by the handle of its answer slot
 * and with its options' handles (docs/state-machines.md#question-handles-what-a-candidate-calls-a-question):
 * a drawn question with the per-attempt data its type chose at start; an adaptive item's data
 * recomputed (a pure function of the attempt id, so the same at every read).
 */
function questionView(
  draw: AttemptDraw,
  ref: { q: string; order?: string[] },
  contents: ReadonlyMap<string, QuestionContent>,
  slot: number,
) {
  const content = contents.get(ref.q)!;
  return viewWithHandles(
    candidateView(content, ref.order ? ref : startQuestion(content, draw.attemptId)),
    slot,
    answerKind(content),
  );
}

// ---------------------------------------------------------------------------------------------
// Start and resume.

/**
 * The draw of an attempt: a pure function of its id, the invitation (start time, extra time,
 * candidate) and the assessment, so any request can build it again after a crash.
 */
async function buildDraw(
  attemptId: string,
  inv: Invitation,
  startedAt: Date,
  assessment: Assessment,
  started: Session,
): Promise<{ draw: AttemptDraw; pageExtras: Map<number, Record<string, unknown>> }> {
  // A preview is marked by its invitation, so a rebuild after a crash marks it too.
  const refs = drawQuestions(assessment.sections, attemptId);
  const built = await drawSections(attemptId, assessment, refs, answerAllowance);
  const deadline = deadlineOf(startedAt, assessment.timeLimitMinutes, inv.extraTimePercent);
  const draw: AttemptDraw = {
    attemptId,
    org: inv.org,
    assessmentId: inv.assessmentId,
    invitationId: inv.invitationId,
    startedAt: startedAt.toISOString(),
    deadline: deadline.toISOString(),
    dueAt: dueAtOf(deadline, assessment.gracePeriodSeconds).toISOString(),
    gracePeriodSeconds: assessment.gracePeriodSeconds,
    timeLimitMinutes: assessment.timeLimitMinutes,
    extraTimePercent: inv.extraTimePercent,
    title: assessment.title,
    showResultToCandidate: assessment.showResultToCandidate,
    ...(assessment.passingScore !== undefined ? { passingScore: assessment.passingScore } : {}),
    candidate: inv.candidate,
    questions: built.questions,
    pages: built.pages,
    sections: built.sections,
    ...(built.adaptive.length ? { adaptive: built.adaptive } : {}),
    started,
    ...(inv.preview ? { preview: true } : {}),
  };
  return { draw, pageExtras: built.pageExtras };
}

const freshState = (
  draw: AttemptDraw,
  tokenHash: string,
  pageExtras: ReadonlyMap<number, Record<string, unknown>>,
): AttemptState => {
  const sections = new Map<number, SectionState>();
  for (const a of draw.adaptive ?? []) {
    const extras = pageExtras.get(a.page) ?? {};
    const complete = extras[`c${a.s}`] as SectionState['complete'];
    sections.set(a.s, {
      shown: (extras[`x${a.s}`] as number[] | undefined) ?? [],
      ...(complete ? { complete } : {}),
    });
  }
  return {
    attemptId: draw.attemptId,
    status: 'active',
    tokenHash,
    dueAt: draw.dueAt,
    resumeCount: 0,
    extensions: 0,
    dueIndexOnHead: false,
    answers: new Map(),
    sections,
  };
};

export interface Started {
  created: boolean;
  loaded: Loaded;
  attemptToken: string;
}

/**
 * Write the attempt items of a started invitation: the normal start, a preview's start, and the
 * rebuild after a crash between the invitation's write and the attempt's (by a retried start or
 * the sweeper).
 */
export async function materialise(inv: Invitation, session: Session): Promise<Started | 'exists'> {
  const assessment = await getAssessment(inv.org, inv.assessmentId);
  if (!assessment) throw new NotFoundError('The assessment of this invitation');
  const { draw, pageExtras } = await buildDraw(
    inv.attemptId!,
    inv,
    new Date(inv.startedAt ?? session.at),
    assessment,
    session,
  );
  const secret = newSecret();
  const outcome = await createAttemptItems(draw, hashSecret(secret), RETENTION_DAYS, pageExtras);
  if (outcome === 'exists') return 'exists';
  return {
    created: true,
    loaded: { draw, state: freshState(draw, hashSecret(secret), pageExtras) },
    attemptToken: secret,
  };
}

/**
 * `POST /v1/attempts`: the first request for a pending invitation starts the attempt (201);
 * later ones while it is active resume it with a new token (200); however many race, the
 * invitation's conditional transition makes exactly one attempt.
 */
export async function startOrResume(
  invitationToken: string,
  now: Date,
  client: ClientInfo,
): Promise<Started> {
  const parsed = parseInvitationToken(invitationToken);
  if (!parsed) throw new UnauthorizedError(INVALID_LINK);
  const session: Session = { at: now.toISOString(), ...client };
  for (let round = 0; round < 3; round++) {
    // Eventually consistent first: the claim below re-checks everything it read.
    const inv = await getInvitation(parsed.invitationId, round > 0);
    if (!inv || !secretMatches(parsed.secret, inv.tokenHash)) throw invalidLink(inv);
    // Why the link is gone goes to the candidate in their language (`locale`).
    const locale = localeOr(inv.candidate.locale);
    if (inv.status === 'revoked')
      throw new GoneError('revoked', 'This invitation was withdrawn by the employer.', locale);
    if (inv.status === 'completed')
      throw new GoneError(
        'finished',
        'This assessment has already been completed with this invitation.',
        locale,
      );
    if (inv.status === 'started') return resume(inv, now, session);
    if (Date.parse(inv.expiresAt) <= now.getTime()) {
      throw new GoneError(
        'expired',
        `This invitation expired at ${inv.expiresAt}. Ask the employer for a new link.`,
        locale,
      );
    }
    // The claim decides the race between starts; it freezes the assessment's content in the
    // same write when not yet frozen: an edit racing this start either landed before (and is
    // drawn from) or is refused.
    const attemptId = newUlid(now.getTime());
    if (!(await claimForStart(inv, attemptId, now))) continue;
    const started = await materialise(
      { ...inv, status: 'started', attemptId, startedAt: now.toISOString() },
      session,
    );
    if (started !== 'exists') return started;
    // Lost to a request that rebuilt the same attempt: read it again and resume.
  }
  throw new DomainError('conflict', 'The invitation is changing too fast to start; try again.');
}

/**
 * Rotate the attempt's token, after any rotation already stored (a concurrent resume, or one
 * stamped by a clock a little ahead): this request, which is answered last, holds the token.
 * Ordered twice; a request that loses both times to concurrent resumes then rotates whatever
 * is stored, so every live resume is answered (the last to land holds the token).
 */
async function rotateOrdered(
  attemptId: string,
  pages: number,
  tokenHash: string,
  now: Date,
): Promise<AttemptState | undefined> {
  let at = now.getTime();
  for (let tries = 0; tries < 3; tries++) {
    const rotated = await rotateToken(attemptId, pages, tokenHash, now, at, tries === 2);
    if (!rotated || 'state' in rotated) return rotated?.state;
    at = Math.max(Date.now(), rotated.newerAt + 1);
  }
  return undefined;
}

async function resume(inv: Invitation, now: Date, session: Session): Promise<Started> {
  const attemptId = inv.attemptId!;
  let loaded = await load(attemptId);
  if (!loaded) {
    // The request that started it died before writing the attempt: build it now.
    const started = await materialise(inv, session);
    if (started !== 'exists') return started;
    loaded = await load(attemptId);
    if (!loaded) throw new NotFoundError(`Attempt ${attemptId}`);
  }
  const secret = newSecret();
  const state = loaded.completion
    ? undefined
    : await rotateOrdered(attemptId, pageCount(loaded.draw), hashSecret(secret), now);
  if (!state) {
    await settle(attemptId, now);
    throw new GoneError(
      'finished',
      'This assessment has already finished: it was submitted or its time ran out.',
      localeOr(inv.candidate.locale),
    );
  }
  // The start is the first session; resumes are recorded while fewer than the maximum are.
  if (state.resumeCount < MAX_RECORDED_SESSIONS)
    await recordSession(attemptId, session, state.dueAt, RETENTION_DAYS);
  return { created: false, loaded: { draw: loaded.draw, state }, attemptToken: secret };
}

// ---------------------------------------------------------------------------------------------
// Finishing.

const isDue = (dueAt: string, now: Date) => Date.parse(dueAt) < now.getTime();

/**
 * Seal the attempt and write its completion: grade exactly the answers the seal returned, then
 * the result, the row and the invitation, each idempotent. Whoever sealed first decides the
 * status and the finish time; a request that finds the attempt sealed (or finished) completes
 * what is missing with those. Undefined: nothing to do (an expiry before the attempt is due).
 * Throws 401 for a submit with a token that is not the attempt's.
 *
 * `dueAt` is the head's `due` as last read; without it (a submit reads nothing first) the
 * draw's first one, a lower bound. An expiry seals only while the head still has that `due`;
 * when an extension moved it, the failed seal returns the head and the decision is taken again
 * on the new `due` (a submit that guessed "expired" from the first deadline seals as submitted).
 */
export async function finalise(
  draw: AttemptDraw,
  kind: 'submit' | 'expire',
  now: Date,
  bearer?: string,
  repair = false,
  dueAt?: string,
): Promise<Completion | undefined> {
  let due = dueAt ?? draw.dueAt;
  for (let round = 0; round < 3; round++) {
    const expire = kind === 'expire' || isDue(due, now);
    const sealed = await sealAttempt(
      draw.attemptId,
      {
        status: expire ? 'expired' : 'submitted',
        completedAt: expire ? deadlineOfDue(due, draw) : now.toISOString(),
        now,
        ...(expire ? { dueAt: due } : {}),
        ...(bearer && !expire ? { tokenHash: hashSecret(bearer) } : {}),
        retentionDays: RETENTION_DAYS,
      },
      pageCount(draw),
    );
    const state = sealed.state;
    if (!state) throw new NotFoundError(`Attempt ${draw.attemptId}`);
    if (bearer && !secretMatches(bearer, state.tokenHash)) throw new UnauthorizedError(WRONG_TOKEN);
    if (state.status !== 'active') return complete(draw, state, repair);
    // Still active: not due, or an extension moved `due` since it was read.
    if (state.dueAt === due) return undefined;
    due = state.dueAt;
  }
  throw new DomainError('conflict', 'The attempt is changing too fast to finish; try again.');
}

/**
 * Everything after the seal: idempotent, so a retry, a reader or the sweeper may finish it. The
 * invitation is written last (its due entry is the trace of an unfinished completion), and only
 * when this call wrote something or `repair` asks for it (the sweeper found the due entry).
 */
async function complete(
  draw: AttemptDraw,
  state: AttemptState,
  repair = false,
): Promise<Completion> {
  const ctx = await readCompletionContext(draw.attemptId);
  let completion: Completion;
  if (ctx.resultItem) completion = completionOf(ctx.resultItem);
  else {
    const contents = await attemptContents(draw);
    const graded = gradingInput(draw, state, contents);
    const deadline = deadlineOfDue(state.dueAt, draw);
    const result: AttemptResult = scoreAttempt({
      questions: graded.questions,
      answers: graded.answers,
      ...(graded.adaptive.length ? { adaptive: graded.adaptive } : {}),
      startedAt: draw.startedAt,
      deadline,
      resumes: [draw.started, ...ctx.sessions],
      events: pageEventsOf(ctx.events),
      ...(draw.passingScore !== undefined ? { passingScore: draw.passingScore } : {}),
    });
    const completedAt = state.completedAt ?? deadline;
    completion = await putResult(
      {
        attemptId: draw.attemptId,
        org: draw.org,
        assessmentId: draw.assessmentId,
        invitationId: draw.invitationId,
        status: state.status as Completion['status'],
        startedAt: draw.startedAt,
        completedAt,
        title: draw.title,
        showResultToCandidate: draw.showResultToCandidate,
        candidate: draw.candidate,
        tokenHash: state.tokenHash,
        result,
        questionOrgs: questionOrgsOf(draw, state, result),
        ...unansweredOf(draw, state),
        deadline,
        ...(ctx.extensions.length
          ? { extensions: [...ctx.extensions].sort((x, y) => x.at.localeCompare(y.at)) }
          : {}),
        ...(draw.preview ? { preview: true } : {}),
      },
      ttlOf(completedAt, RETENTION_DAYS),
    );
  }
  // A preview is never ranked: it has no results row.
  const rowMissing = !ctx.rowWritten && !completion.preview;
  if (rowMissing) await putRow(completion, ttlOf(completion.completedAt, RETENTION_DAYS));
  if (!ctx.resultItem || rowMissing || repair)
    await completeInvitation(draw.invitationId, completion.completedAt);
  return completion;
}

/** The adaptive items left unanswered, when there are any (the report lists them). */
function unansweredOf(draw: AttemptDraw, state: AttemptState) {
  const items = shownUnanswered(draw, state);
  return items.length ? { shownUnanswered: items } : {};
}

/** The organisation owning each graded question, in the result's order. */
function questionOrgsOf(draw: AttemptDraw, state: AttemptState, result: AttemptResult): string[] {
  const owner = new Map(shownItems(draw, state).map((it) => [it.ref.q, it.ref.o]));
  return result.questions.map((q) => owner.get(q.questionId) ?? draw.org);
}

/**
 * Bring an attempt up to date: finalise it if its time ran out, finish a completion that a crash
 * interrupted. Returns the attempt, with its completion once finished; undefined when there is
 * no such attempt. `invitationId` (the sweeper's due entry: the completion is unfinished, or the
 * attempt was never written) lets it rebuild an attempt whose start died before writing it.
 */
export async function settle(
  attemptId: string,
  now: Date,
  invitationId?: string,
): Promise<Loaded | undefined> {
  let loaded = await load(attemptId);
  if (!loaded && invitationId) {
    const inv = await getInvitation(invitationId, true);
    if (inv?.status === 'started' && inv.attemptId === attemptId) {
      await materialise(inv, { at: inv.startedAt ?? now.toISOString() });
      loaded = await load(attemptId);
    }
  }
  if (!loaded || loaded.completion) return loaded;
  const { draw, state } = loaded;
  if (state.status === 'active' && !isDue(state.dueAt, now)) return loaded;
  let completion: Completion | undefined;
  if (state.status === 'active' || pageCount(draw) > 1) {
    // Due: seal it (or, for a long attempt a crash left half sealed, seal the other pages).
    completion = await finalise(draw, 'expire', now, undefined, Boolean(invitationId), state.dueAt);
  } else {
    const stored = invitationId ? undefined : await getResult(attemptId);
    completion = stored ?? (await complete(draw, state, Boolean(invitationId)));
  }
  if (!completion) return loaded;
  return {
    draw,
    state: { ...state, status: completion.status, completedAt: completion.completedAt },
    completion,
  };
}

/** The sweeper's work for one due entry. True when it finalised (or completed) the attempt. */
export async function finishDue(entry: DueEntry, now: Date): Promise<boolean> {
  const after = await settle(entry.attemptId, now, entry.invitationId);
  return after?.completion !== undefined;
}

/** The attempt addressed by a candidate route, if the bearer is its current token (else 401). */
export async function candidateAttempt(
  attemptId: string,
  bearer: string,
  now: Date,
): Promise<Loaded> {
  const loaded = await settle(attemptId, now);
  if (!loaded || !secretMatches(bearer, loaded.state.tokenHash))
    throw new UnauthorizedError(WRONG_TOKEN);
  return loaded;
}

/** The response of submit, identical however often it is asked for. */
export function submitBody(c: Completion) {
  return {
    status: c.status,
    ...(c.showResultToCandidate ? { result: candidateResult(c.result) } : {}),
  };
}

/**
 * `POST /v1/attempts/{id}/submit`: seal, grade, write; the same body however often. No read
 * before the seal: the seal's condition checks the token, and a seal that finds the attempt
 * already sealed finishes (or returns) the completion its winner wrote.
 */
export async function submit(attemptId: string, bearer: string, now: Date) {
  const target = await writeTarget(attemptId);
  if (!target) throw new UnauthorizedError(WRONG_TOKEN);
  if (target.finished) {
    if (!secretMatches(bearer, target.finished.tokenHash)) throw new UnauthorizedError(WRONG_TOKEN);
    return submitBody(target.finished);
  }
  // `repair`: a submit that finds the completion written finishes its last write too (one
  // conditional write, only on a retry): a first try answered 503 between the results row and
  // the invitation left the invitation "started" until the sweeper, after the deadline.
  const completion = await finalise(target.draw, 'submit', now, bearer, true);
  if (!completion) throw new UnauthorizedError(WRONG_TOKEN);
  return submitBody(completion);
}

/** Strength and gap areas as ids (the contract) and with their suggestions (`development`). */
export function developmentOf(r: AttemptResult) {
  return {
    strengths: r.strengths.map((d) => d.area),
    gaps: r.gaps.map((d) => d.area),
    development: [
      ...r.strengths.map((d) => ({ ...d, kind: 'strength' as const })),
      ...r.gaps.map((d) => ({ ...d, kind: 'gap' as const })),
    ],
  };
}

/** What a candidate may see of their result: scores and levels, no keys, no per-question detail. */
export function candidateResult(stored: AttemptResult) {
  // Levels, strengths and gaps under today's rule, as the employer's report reads them.
  const r = currentProfile(stored);
  return {
    score: r.score,
    ...(r.passed !== undefined ? { passed: r.passed } : {}),
    technical: r.technical,
    soft: r.soft,
    areas: r.areas.map(({ area, kind, score, items, level }) => ({
      area,
      kind,
      score,
      items,
      level,
    })),
    ...developmentOf(r),
  };
}

/**
 * The completion of a finished attempt: one eventually consistent read of its result. A miss
 * (not finished, finished a moment ago, or a completion a crash interrupted) reads the head and
 * settles the attempt. Undefined while it is running.
 */
export async function completionFor(
  attemptId: string,
  now: Date,
): Promise<{ completion?: Completion; loaded?: Loaded } | undefined> {
  const stored = await getResult(attemptId);
  if (stored) return { completion: stored };
  const loaded = await settle(attemptId, now);
  if (!loaded) return undefined;
  return { loaded, ...(loaded.completion ? { completion: loaded.completion } : {}) };
}

/** `GET /v1/attempts/{id}/result`: the candidate's own result, if the assessment shows it. */
export async function ownResult(attemptId: string, bearer: string, now: Date) {
  const found = await completionFor(attemptId, now);
  const tokenHash = found?.completion?.tokenHash ?? found?.loaded?.state.tokenHash;
  if (!found || !secretMatches(bearer, tokenHash)) throw new UnauthorizedError(WRONG_TOKEN);
  const show = found.completion?.showResultToCandidate ?? found.loaded?.draw.showResultToCandidate;
  if (!show) {
    throw new DomainError(
      'results-hidden',
      'This assessment does not show results to candidates; the employer will be in touch.',
    );
  }
  if (!found.completion)
    throw new DomainError('conflict', 'The attempt is still active: submit it first.');
  return candidateResult(found.completion.result);
}

// ---------------------------------------------------------------------------------------------
// Answering.

/** `If-Match: "3"` or `3` -> 3; absent -> undefined (last write wins). */
export function expectedRevision(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*(?:"(\d{1,9})"|(\d{1,9}))\s*$/.exec(header);
  if (!m)
    throw new ValidationError([
      {
        path: 'header.if-match',
        message:
          'If-Match takes the revision you last saw, e.g. If-Match: "2" ("0": only if never answered).',
      },
    ]);
  return Number(m[1] ?? m[2]);
}

/** Answers are small; this bounds what any question type can make the service store. */
const MAX_ANSWER_BYTES = 4000;

function storableIssue(value: unknown): string | undefined {
  if (typeof value === 'number')
    return isStorableNumber(value) ? undefined : STORABLE_NUMBER_MESSAGE;
  if (Array.isArray(value)) return value.map(storableIssue).find(Boolean);
  if (value && typeof value === 'object')
    return Object.values(value).map(storableIssue).find(Boolean);
  return undefined;
}

/**
 * Why a save was refused, from the page as it was (or the head, for an answer that did not
 * fit): in the order a client can act on. Finalises the attempt when its time ran out; `retry`
 * when that finds the deadline moved by an extension in between (the save may be sent again).
 */
async function refusal(
  draw: AttemptDraw,
  current: { status: string; tokenHash: string; dueAt: string } | undefined,
  bearer: string,
  now: Date,
): Promise<DomainError | 'retry' | undefined> {
  if (!current || !secretMatches(bearer, current.tokenHash))
    return new UnauthorizedError(WRONG_TOKEN);
  if (current.status === 'submitted')
    return new DomainError(
      'already-submitted',
      'This attempt was submitted; answers can no longer change.',
    );
  if (current.status === 'expired' || isDue(current.dueAt, now)) {
    let deadline = deadlineOfDue(current.dueAt, draw);
    if (current.status === 'active') {
      const done = await finalise(draw, 'expire', now, undefined, false, current.dueAt);
      if (!done) return 'retry';
      if (done.status === 'submitted')
        return new DomainError(
          'already-submitted',
          'This attempt was submitted; answers can no longer change.',
        );
      deadline = done.deadline ?? deadline;
    }
    const until = new Date(Date.parse(deadline) + draw.gracePeriodSeconds * 1000).toISOString();
    return new DomainError(
      'time-is-up',
      `Time ran out at ${deadline} (answers were accepted until ${until}); your saved answers have been submitted.`,
    );
  }
  return undefined;
}

/** A refusal that settles the request (a retry is not one: nothing decided yet). */
const decided = (r: DomainError | 'retry' | undefined) =>
  r instanceof DomainError ? r : undefined;

/**
 * A candidate's answer checked against the question with its options named by this attempt's
 * handles (messages name handles, never bank ids), then given the bank's option ids to store.
 */
function checkAnswer(content: QuestionContent, options: OptionHandles, raw: unknown) {
  const checked = parseResponse(contentWithHandles(content, options), raw);
  return checked.ok ? { ok: true as const, value: answerToBank(checked.value, options) } : checked;
}

/**
 * `PUT /v1/attempts/{id}/answers/{handle}`: the handle is mapped to its answer slot and question
 * (an unknown one is 404, as an unknown question), the answer is checked against the question
 * version the attempt drew, then stored by one conditional write; failures explained from the
 * page as it was.
 */
export async function answer(
  attemptId: string,
  bearer: string,
  questionId: string,
  raw: unknown,
  now: Date,
  ifMatch?: string,
) {
  const expected = expectedRevision(ifMatch);
  const target = await writeTarget(attemptId);
  if (!target) throw new UnauthorizedError(WRONG_TOKEN);
  const { draw } = target;
  if (target.finished) {
    throw (
      decided(await refusal(draw, target.state, bearer, now)) ?? new UnauthorizedError(WRONG_TOKEN)
    );
  }
  // The handle names an answer slot: a fixed question's, or an adaptive section's.
  const slot = slotOfHandle(questionId);
  const adaptive = slot === undefined ? undefined : adaptiveSlot(draw, slot);
  if (adaptive) return adaptiveAnswer(draw, adaptive, bearer, questionId, raw, now);
  const index = slot !== undefined && slot < draw.questions.length ? slot : -1;
  const ref = index >= 0 ? draw.questions[index] : undefined;
  const contents = ref ? await questionVersions([ref]) : undefined;
  const options = ref ? questionView(draw, ref, contents!, index).options : undefined;
  const checked = ref ? checkAnswer(contents!.get(ref.q)!, options!, raw) : undefined;
  const tooBig = checked?.ok && Buffer.byteLength(JSON.stringify(checked.value)) > MAX_ANSWER_BYTES;
  const unstorable = checked?.ok ? storableIssue(checked.value) : undefined;
  if (!checked?.ok || tooBig || unstorable) {
    // Nothing is written; say why in the order a failed write would: token, state, question.
    const head = await readHead(attemptId, pageCount(draw));
    const current = head?.layout === 'v2' ? head.state : undefined;
    const refused = decided(await refusal(draw, current, bearer, now));
    if (refused) throw refused;
    if (!checked) throw new NotFoundError(`Question ${questionId} in this attempt`);
    if (!checked.ok) throw new ValidationError(checked.issues);
    throw new ValidationError([
      {
        path: 'answer',
        message: unstorable ?? `Answers are at most ${MAX_ANSWER_BYTES} bytes of JSON.`,
      },
    ]);
  }
  // Rounds: a conversion interrupted by an old function's save, or an extension that moved the
  // deadline between this save's refusal and the seal it led to; each is rare and settles.
  for (let round = 0; round < 3; round++) {
    const out = await saveAnswer(
      attemptId,
      draw.pages[index] ?? 0,
      index,
      hashSecret(bearer),
      checked.value,
      now,
      expected,
    );
    if (out.saved) {
      return {
        savedAt: out.savedAt,
        serverTime: now.toISOString(),
        // The page's `due` that admitted this save: it follows extensions.
        deadline: deadlineOfDue(out.dueAt, draw),
        revision: out.revision,
      };
    }
    if (out.current?.oldLayout) {
      // A conversion that an old function's save interrupted: convert, then save again.
      const loaded = await load(attemptId);
      if (loaded?.completion)
        throw (
          decided(await refusal(draw, loaded.state, bearer, now)) ??
          new UnauthorizedError(WRONG_TOKEN)
        );
      continue;
    }
    const refused = await refusal(draw, out.current, bearer, now);
    if (refused === 'retry') continue;
    if (refused) throw refused;
    const a = out.current?.answer;
    // A retry of a save that landed (its answer was lost, or it answered 503 after the write):
    // the stored answer is this one, one revision on. Answer as that save did, not with a 412
    // that would contradict it (docs/faults.md, the retry contract).
    if (
      a &&
      expected !== undefined &&
      a.revision === expected + 1 &&
      JSON.stringify(a.value) === JSON.stringify(checked.value)
    ) {
      return {
        savedAt: a.savedAt,
        serverTime: now.toISOString(),
        deadline: deadlineOfDue(out.current!.dueAt, draw),
        revision: a.revision,
      };
    }
    throw new DomainError(
      'revision-mismatch',
      `This answer is at revision ${a?.revision ?? 0}, not ${expected}: it was saved elsewhere (another tab?). Reload it, then save again with If-Match: "${a?.revision ?? 0}".`,
      {
        current: {
          answer: a ? answerToHandles(a.value, options!) : null,
          revision: a?.revision ?? 0,
          savedAt: a?.savedAt ?? null,
        },
      },
    );
  }
  throw new DomainError('conflict', 'The attempt is changing too fast to save; try again.');
}

// ---------------------------------------------------------------------------------------------
// Answering in an adaptive section.

const ADAPTIVE_CLOSED =
  'This question is in an adaptive section: an answer there is final once saved (the next question is chosen from it), and earlier questions cannot be changed.';

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A save in an adaptive section: the answer must be to the item the section waits for. One
 * strongly consistent read of the section's page (its token, status, deadline, answers and
 * selection state), the next step computed from it, and one conditional write of the answer
 * with the step; a write that loses a race is explained from the page as the winner left it.
 * The response carries the next item, or `sectionComplete`.
 */
async function adaptiveAnswer(
  draw: AttemptDraw,
  target: { section: AdaptiveSectionDraw; j: number },
  bearer: string,
  handle: string,
  raw: unknown,
  now: Date,
) {
  const { section, j } = target;
  const contents = await attemptContents(draw);
  const read = await readPage(draw.attemptId, section.page);
  const page = read?.layout === 'v2' ? read.state : undefined;
  const refused = await refusal(draw, page, bearer, now);
  if (refused) throw refused;
  // The page's `due`, not the cached draw's: an extension moves it.
  const deadline = deadlineOfDue(page!.dueAt, draw);
  const st = page!.sections.get(section.s) ?? { shown: [] };
  const entry = section.pool[st.shown[j] ?? -1];
  // A slot the section has not reached is not part of this attempt (as far as anyone can tell).
  if (!entry) throw new NotFoundError(`Question ${handle} in this attempt`);
  const content = contents.get(entry.q)!;
  const { options } = questionView(draw, entry, contents, section.first + j);
  const checked = checkAnswer(content, options, raw);
  if (!checked.ok) throw new ValidationError(checked.issues);
  const value = checked.value;
  const issue =
    Buffer.byteLength(JSON.stringify(value)) > MAX_ANSWER_BYTES
      ? `Answers are at most ${MAX_ANSWER_BYTES} bytes of JSON.`
      : storableIssue(value);
  if (issue) throw new ValidationError([{ path: 'answer', message: issue }]);
  const index = section.first + j;
  if (page!.answers.has(index) || st.complete || j !== st.shown.length - 1)
    return alreadyAnswered(
      draw,
      section,
      st,
      page!.answers,
      j,
      value,
      options,
      contents,
      now,
      deadline,
    );

  const responses = [
    ...sectionResponses(section, st, page!.answers, contents),
    { key: entry.q, score: gradeResponse(content, value) },
  ];
  const step = stepAfterSave({
    section,
    pool: poolOf(draw, section, contents),
    responses,
    attemptId: draw.attemptId,
    timeUp: now.getTime() >= Date.parse(deadline),
  });
  const out = await saveAdaptiveAnswer(
    draw.attemptId,
    section.page,
    section.s,
    index,
    st.shown.length,
    hashSecret(bearer),
    value,
    now,
    step.kind === 'item' ? { append: step.poolIndex } : { complete: step.completion },
  );
  if (out.saved) {
    const after: SectionState =
      step.kind === 'item'
        ? { shown: [...st.shown, step.poolIndex] }
        : { shown: st.shown, complete: step.completion };
    const answers = new Map(page!.answers);
    answers.set(index, { value, savedAt: out.savedAt, revision: out.revision });
    return adaptiveSaved(draw, section, after, answers, out, contents, now, deadline);
  }
  // Lost to a racing save (or the attempt changed): explain from the page as it now is.
  const again = await refusal(draw, out.current, bearer, now);
  if (again) throw again;
  const current = out.current!;
  return alreadyAnswered(
    draw,
    section,
    current.sections.get(section.s) ?? st,
    current.answers,
    j,
    value,
    options,
    contents,
    now,
    deadlineOfDue(current.dueAt, draw),
  );
}

/**
 * A save to an adaptive item that already has its answer: the same answer again (a retry whose
 * response was lost, or the same answer racing itself) is answered as the save was; any other
 * is refused with 409 `adaptive-item-closed` and the section as it is.
 */
function alreadyAnswered(
  draw: AttemptDraw,
  section: AdaptiveSectionDraw,
  st: SectionState,
  answers: ReadonlyMap<number, { value: unknown; savedAt: string; revision: number }>,
  j: number,
  value: unknown,
  options: OptionHandles,
  contents: ReadonlyMap<string, QuestionContent>,
  now: Date,
  deadline: string,
) {
  const stored = answers.get(section.first + j);
  if (stored && sameValue(stored.value, value))
    return adaptiveSaved(draw, section, st, answers, stored, contents, now, deadline);
  const state = adaptiveSaved(draw, section, st, answers, stored, contents, now, deadline);
  throw new DomainError('adaptive-item-closed', ADAPTIVE_CLOSED, {
    current: {
      answer: stored ? answerToHandles(stored.value, options) : null,
      savedAt: stored?.savedAt ?? null,
    },
    section: state.section,
    ...(state.next ? { next: state.next } : {}),
    ...(state.sectionComplete ? { sectionComplete: state.sectionComplete } : {}),
  });
}

/** The response of a save in an adaptive section: the section's progress and what comes next. */
function adaptiveSaved(
  draw: AttemptDraw,
  section: AdaptiveSectionDraw,
  st: SectionState,
  answers: ReadonlyMap<number, unknown>,
  saved: { savedAt: string; revision: number } | undefined,
  contents: ReadonlyMap<string, QuestionContent>,
  now: Date,
  deadline: string,
) {
  const next = currentItem(section, st, answers);
  const answered = [...answers.keys()].filter(
    (i) => i >= section.first && i < section.first + section.maxItems,
  ).length;
  return {
    savedAt: saved?.savedAt ?? now.toISOString(),
    serverTime: now.toISOString(),
    deadline,
    revision: saved?.revision ?? 0,
    section: { index: section.s, area: section.area, ...adaptiveView(section, st, answers) },
    // The item waiting for an answer is the last one shown: the section's next slot.
    ...(next !== undefined
      ? {
          next: questionView(
            draw,
            section.pool[next]!,
            contents,
            section.first + st.shown.length - 1,
          ).view,
        }
      : {}),
    ...(st.complete ? { sectionComplete: { reason: st.complete.reason, items: answered } } : {}),
  };
}
