/**
 * The report a hiring manager reads (issue 16 item 7), as JSON and as a printable page: per
 * question the prompt, the answer given, the key and explanation (staff only), score, time and
 * an outcome that tells unanswered from wrong; levels with their rule; hostile content escaped.
 */
import { createHash } from 'node:crypto';
import { type DefaultTreeAdapterTypes, parse } from 'parse5';
import { beforeAll, describe, expect, it } from 'vitest';
import { findArea } from '../../functions/domain/taxonomy.ts';
import { REPORT_CONTENT_SECURITY_POLICY } from '../../functions/http/report-html.ts';
import { shownAnswer } from './fixtures.ts';
import { type ApiResponse, useTestApi } from './support.ts';

const api = useTestApi();
let employer: string;

const options = [
  { id: 'a', text: 'Alpha' },
  { id: 'b', text: 'Bravo' },
  { id: 'c', text: 'Charlie' },
  { id: 'd', text: 'Delta' },
];
const explain = (id: string) => `EXPLAIN-${id}: the reasons, with \`code\` in it.`;

const HOSTILE_PROMPT = [
  'Pick the **safe** one. <script>alert("prompt")</script>',
  '<img src=x onerror=alert(1)>',
  '[click me](javascript:alert(2)) and [docs](https://example.com/docs)',
  '![tracker](http://127.0.0.1:9/pixel.png)',
  '<iframe src="https://evil.example"></iframe>',
].join('\n\n');
const HOSTILE_ANSWER = '</dd></article><script>alert("answer")</script><b onclick=x>';
const HOSTILE_NAME = '<script>alert("name")</script> Mallory & "Eve"';

function bank() {
  const q = (id: string, area: string, extra: Record<string, unknown>) => ({
    id,
    area,
    difficulty: 2,
    prompt: `Which is right for **${id}**?`,
    explanation: explain(id),
    tags: ['report-fixture'],
    ...extra,
  });
  return {
    bank: { id: 'report-bank', title: 'Report fixture' },
    questions: [
      q('rep-s-1', 'security', { type: 'single', options, answer: 'b' }),
      q('rep-s-2', 'security', { type: 'single', options, answer: 'b' }),
      q('rep-s-3', 'security', { type: 'single', options, answer: 'b' }),
      ...[1, 2, 3].map((i) =>
        q(`rep-c-${i}`, 'collaboration', {
          type: 'sjt',
          options,
          answer: { weights: { a: 1, b: 0.5, c: 0.25, d: 0 } },
        }),
      ),
      q('rep-t-1', 'api-first', {
        type: 'text',
        prompt: HOSTILE_PROMPT,
        answer: ['idempotency key'],
        explanation: 'Because <iframe src="https://evil.example"></iframe> **idempotency**.',
      }),
      q('rep-n-1', 'api-first', { type: 'numeric', answer: { value: 42, tolerance: 0.5 } }),
    ],
  };
}

/** What the candidate answers: some right, one wrong, one partial, two left unanswered. */
const ANSWERS: Record<string, unknown> = {
  'rep-s-1': 'b',
  'rep-s-2': 'c',
  'rep-c-1': 'b',
  'rep-c-2': 'a',
  'rep-c-3': 'd',
  'rep-t-1': HOSTILE_ANSWER,
};

type Shown = {
  questionId: string;
  type: string;
  prompt: string;
  options?: { id: string; text: string }[];
};

let attemptId: string;
let invitationId: string;
/** Every body a candidate route sent to the candidate. */
const candidateTexts: string[] = [];
let report: ApiResponse;
let html: ApiResponse;

beforeAll(async () => {
  employer = await api.token('employer', 'rep');
  const author = await api.token('author', 'rep');
  expect((await api.request('POST', '/v1/banks', { token: author, body: bank() })).status).toBe(
    201,
  );
  const created = await api.request('POST', '/v1/assessments', {
    token: employer,
    body: {
      title: 'Backend <hiring> & "more"',
      timeLimitMinutes: 30,
      sections: [
        { area: 'security', count: 3 },
        { area: 'collaboration', count: 3 },
        { area: 'api-first', count: 2 },
      ],
      showResultToCandidate: true,
    },
  });
  expect(created.status).toBe(201);
  const inv = await api.request(
    'POST',
    `/v1/assessments/${created.body.assessmentId}/invitations`,
    {
      token: employer,
      body: {
        candidates: [{ name: HOSTILE_NAME, email: 'mallory@example.com' }],
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    },
  );
  invitationId = inv.body.invitations[0].invitationId;
  const started = await api.request('POST', '/v1/attempts', {
    body: { invitationToken: inv.body.invitations[0].token },
  });
  candidateTexts.push(started.text);
  attemptId = started.body.attemptId;
  const token = started.body.attemptToken;
  // The candidate knows questions by handle and prompt, options by handle and text.
  const shown = started.body.questions as Shown[];
  const promptOf = new Map(bank().questions.map((q) => [q.id, q.prompt]));
  for (const [qid, value] of Object.entries(ANSWERS)) {
    const q = shown.find((x) => x.prompt === promptOf.get(qid))!;
    const res = await api.request('PUT', `/v1/attempts/${attemptId}/answers/${q.questionId}`, {
      token,
      body: { answer: typeof value === 'string' ? shownAnswer(q, value) : value },
    });
    expect(res.status, qid).toBe(200);
    candidateTexts.push(res.text);
  }
  for (const path of [`/v1/attempts/${attemptId}`]) {
    candidateTexts.push((await api.request('GET', path, { token })).text);
  }
  const submitted = await api.request('POST', `/v1/attempts/${attemptId}/submit`, { token });
  expect(submitted.status).toBe(200);
  candidateTexts.push(submitted.text);
  const result = await api.request('GET', `/v1/attempts/${attemptId}/result`, { token });
  expect(result.status).toBe(200);
  candidateTexts.push(result.text);
  candidateTexts.push((await api.request('GET', `/v1/attempts/${attemptId}`, { token })).text);
  report = await api.request('GET', `/v1/attempts/${attemptId}/report`, { token: employer });
  html = await api.request('GET', `/v1/attempts/${attemptId}/report.html`, { token: employer });
}, 60_000);

const question = (id: string) =>
  report.body.questions.find((q: { questionId: string }) => q.questionId === id);

describe('the JSON report', () => {
  it('shows each question with its prompt, the answer given, the key, the explanation, score and time', () => {
    expect(report.status).toBe(200);
    expect(question('rep-s-1')).toMatchObject({
      area: 'security',
      areaName: 'Security',
      type: 'single',
      difficulty: 2,
      version: 1,
      score: 1,
      outcome: 'correct',
      answered: true,
      answer: 'b — Bravo',
      prompt: 'Which is right for **rep-s-1**?',
      correctAnswer: 'b — Bravo',
      explanation: explain('rep-s-1'),
    });
    expect(typeof question('rep-s-1').secondsSpent).toBe('number');
    expect(question('rep-c-1')).toMatchObject({
      outcome: 'partial',
      score: 0.5,
      answer: 'b — Bravo',
    });
    expect(question('rep-c-1').correctAnswer).toMatch(/^a — Alpha \(effectiveness 1\); b — Bravo/);
    expect(question('rep-n-1').correctAnswer).toBe('42 (± 0.5)');
    expect(question('rep-t-1').answer).toBe(JSON.stringify(HOSTILE_ANSWER));
  });

  it('tells an unanswered question from a wrong one, though both score 0', () => {
    expect(question('rep-s-2')).toMatchObject({ score: 0, outcome: 'wrong', answered: true });
    expect(question('rep-s-3')).toMatchObject({ score: 0, outcome: 'unanswered', answered: false });
    expect(question('rep-s-3').answer).toBeUndefined();
    expect(question('rep-n-1')).toMatchObject({ outcome: 'unanswered', answered: false });
  });

  it("names each area and states the rule behind its level with the area's evidence", () => {
    const security = report.body.areas.find((a: { area: string }) => a.area === 'security');
    expect(security).toMatchObject({ name: findArea('security')!.name, items: 3, answered: 2 });
    expect(security.levelRule).toContain(
      '3 questions of difficulty 2, 2, 2 (2 of them answered; an unanswered question counts as wrong)',
    );
    const api = report.body.areas.find((a: { area: string }) => a.area === 'api-first');
    expect(api.level).toBe('insufficient-evidence');
    expect(api.levelRule).toContain('a level needs at least 3');
  });

  it('lists strengths and gaps only for levels that support them', () => {
    const levels = new Map(
      report.body.areas.map((a: { area: string; level: string }) => [a.area, a.level]),
    );
    for (const s of report.body.strengths) expect(['advanced', 'expert']).toContain(levels.get(s));
    for (const g of report.body.gaps) expect(levels.get(g)).toBe('foundational');
  });

  it('never gives a candidate route the keys, the explanations or per-question detail', () => {
    expect(candidateTexts.length).toBeGreaterThan(8);
    for (const text of candidateTexts) {
      expect(text).not.toContain('EXPLAIN-');
      expect(text).not.toContain('correctAnswer');
      expect(text).not.toContain('explanation');
      expect(text).not.toContain('levelRule');
      expect(text).not.toContain('weights');
      expect(text).not.toContain('effectiveness');
      expect(text).not.toContain('secondsSpent');
    }
  });
});

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

function elements(node: Node, out: Element[] = []): Element[] {
  if ('tagName' in node) out.push(node);
  const children = 'childNodes' in node ? node.childNodes : [];
  for (const c of children) elements(c, out);
  if ('content' in node && node.content) elements(node.content as Node, out);
  return out;
}

describe('the printable report page', () => {
  it('is well-formed HTML5 with one stylesheet, print rules, the chart inline and a strict policy', () => {
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('cache-control')).toBe('private, no-store');
    // The page's own policy replaces the API's (which forbids every style).
    const csp = html.headers.get('content-security-policy')!;
    expect(csp).toBe(REPORT_CONTENT_SECURITY_POLICY);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const errors: string[] = [];
    const doc = parse(html.text, {
      onParseError: (e) => errors.push(`${e.code} at ${e.startLine}:${e.startCol}`),
    });
    expect(errors).toEqual([]);
    const all = elements(doc);
    const styles = all.filter((e) => e.tagName === 'style');
    expect(styles).toHaveLength(1);
    const css = (styles[0]!.childNodes[0] as DefaultTreeAdapterTypes.TextNode).value;
    expect(csp).toContain(`'sha256-${createHash('sha256').update(css).digest('base64')}'`);
    expect(css).toContain('@media print');
    expect(css).toContain('@page');
    expect(css).toContain('break-inside:avoid');
    expect(all.filter((e) => e.tagName === 'svg')).toHaveLength(1);
    expect(all.filter((e) => e.tagName === 'article')).toHaveLength(8);
    expect(html.text).toContain(
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
    );
  });

  it('escapes hostile content: no script, no handler, no frame, no dangerous link', () => {
    const all = elements(parse(html.text));
    const tags = new Set(all.map((e) => e.tagName));
    for (const tag of ['script', 'iframe', 'object', 'embed', 'form', 'link', 'base'])
      expect(tags.has(tag), tag).toBe(false);
    for (const e of all) {
      for (const attr of e.attrs) {
        expect(attr.name.startsWith('on'), `${e.tagName}[${attr.name}]`).toBe(false);
        if (attr.name === 'href') expect(attr.value).toMatch(/^(https?:|mailto:|#)|^$/);
      }
    }
    // What the author and the candidate wrote is shown as text.
    expect(html.text).toContain('&lt;script&gt;alert(&quot;prompt&quot;)&lt;/script&gt;');
    expect(html.text).toContain('&lt;/dd&gt;&lt;/article&gt;&lt;script&gt;');
    expect(html.text).toContain(
      '&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; Mallory &amp; &quot;Eve&quot;',
    );
    expect(html.text).toContain('Backend &lt;hiring&gt; &amp; &quot;more&quot;');
    // Markdown still renders: emphasis and the safe link.
    expect(html.text).toContain('<strong>safe</strong>');
    expect(html.text).toContain('<a href="https://example.com/docs">docs</a>');
    // An image in a prompt may be rendered, but the page's policy loads nothing from outside.
    expect(REPORT_CONTENT_SECURITY_POLICY).toContain('img-src data:');
  });

  it('shows the answer given, the key and the outcome in words for every question', () => {
    expect(html.text).toContain('No answer was saved.');
    expect(html.text).toContain('Unanswered');
    expect(html.text).toContain('Wrong');
    expect(html.text).toContain('Partly right');
    expect(html.text).toContain('a — Alpha (effectiveness 1); b — Bravo (effectiveness 0.5)');
    expect(html.text).toContain('EXPLAIN-rep-s-1: the reasons, with <code>code</code> in it.');
    expect(html.text).toContain('a level needs at least 3');
  });

  it('is 409 while the attempt runs, 404 for another organisation', async () => {
    const other = await api.token('employer', 'not-rep');
    expect(
      (await api.request('GET', `/v1/attempts/${attemptId}/report.html`, { token: other })).status,
    ).toBe(404);
    const inv = await api.request(
      'POST',
      `/v1/assessments/${report.body.assessment.assessmentId}/invitations`,
      {
        token: employer,
        body: {
          candidates: [{ name: 'Runner' }],
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
    );
    const running = await api.request('POST', '/v1/attempts', {
      body: { invitationToken: inv.body.invitations[0].token },
    });
    const page = await api.request('GET', `/v1/attempts/${running.body.attemptId}/report.html`, {
      token: employer,
    });
    expect(page.status).toBe(409);
    expect(page.headers.get('content-type')).toMatch(/problem\+json/);
    const json = await api.request('GET', `/v1/attempts/${running.body.attemptId}/report`, {
      token: employer,
    });
    expect(json.body).toMatchObject({
      status: 'active',
      deadline: running.body.deadline,
      questions: [],
    });
  });
});

describe('after the candidate’s data is erased', () => {
  it('keeps outcomes and scores but no answers, and says so', async () => {
    const erased = await api.request('DELETE', `/v1/invitations/${invitationId}/candidate-data`, {
      token: employer,
    });
    expect(erased.status).toBe(204);
    const after = await api.request('GET', `/v1/attempts/${attemptId}/report`, {
      token: employer,
    });
    const s2 = after.body.questions.find((q: { questionId: string }) => q.questionId === 'rep-s-2');
    expect(s2).toMatchObject({ outcome: 'wrong', answered: true, score: 0 });
    expect(s2.answer).toBeUndefined();
    expect(after.body.candidate).toEqual({});
    const page = await api.request('GET', `/v1/attempts/${attemptId}/report.html`, {
      token: employer,
    });
    expect(page.text).toContain('the answer was erased');
    expect(page.text).not.toContain('Mallory');
    expect(page.text).not.toContain('&lt;/dd&gt;&lt;/article&gt;');
  });
});
