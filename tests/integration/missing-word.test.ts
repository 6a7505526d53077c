import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from './support.ts';

const api = useTestApi();

let author: string;
let employer: string;

const GIFT = [
  '$CATEGORY: real-time-data',
  '',
  '::kafka-order::Kafka keeps the order of records within a {',
  '  =partition',
  '  ~topic',
  '  ~consumer group',
  '  ####Ordering is per partition; a topic with several partitions has no total order.',
  '} and not across a whole topic.',
].join('\n');

beforeAll(async () => {
  author = await api.token('author', 'blank');
  employer = await api.token('employer', 'blank');
});

describe('a missing-word question over HTTP', () => {
  it('comes from GIFT and reaches a candidate with its blank in place and no key', async () => {
    const up = await api.request('POST', '/v1/banks?format=gift', {
      token: author,
      raw: GIFT,
      contentType: 'text/plain',
    });
    expect(up.status).toBe(201);
    const q = await api.request('GET', '/v1/questions/kafka-order', { token: author });
    expect(q.body).toMatchObject({
      type: 'missing-word',
      prompt: 'Kafka keeps the order of records within a {blank} and not across a whole topic.',
      answer: 'a',
    });

    const a = await api.request('POST', '/v1/assessments', {
      token: employer,
      body: {
        title: 'Blank',
        timeLimitMinutes: 5,
        sections: [{ area: 'real-time-data', count: 1 }],
      },
    });
    const inv = await api.request('POST', `/v1/assessments/${a.body.assessmentId}/invitations`, {
      token: employer,
      body: {
        candidates: [{ name: 'W' }],
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    const s = await api.request('POST', '/v1/attempts', {
      body: { invitationToken: inv.body.invitations[0].token },
    });
    expect(s.status).toBe(201);
    const [view] = s.body.questions;
    expect(view).toMatchObject({
      type: 'missing-word',
      prompt: 'Kafka keeps the order of records within a {blank} and not across a whole topic.',
    });
    expect(view.options.map((o: { text: string }) => o.text).sort()).toEqual([
      'consumer group',
      'partition',
      'topic',
    ]);
    expect(s.text).not.toContain('Ordering is per partition');
    expect(Object.keys(view)).not.toContain('answer');

    // Graded as a single choice, and the report names the choice.
    const auth = { token: s.body.attemptToken };
    // The attempt's one question by its handle, the choice by the handle of "partition".
    const partition = view.options.find((o: { text: string }) => o.text === 'partition').id;
    const saved = await api.request('PUT', `/v1/attempts/${s.body.attemptId}/answers/q1`, {
      ...auth,
      body: { answer: partition },
    });
    expect(saved.status, saved.text).toBe(200);
    await api.request('POST', `/v1/attempts/${s.body.attemptId}/submit`, auth);
    const report = await api.request('GET', `/v1/attempts/${s.body.attemptId}/report`, {
      token: employer,
    });
    expect(report.body.questions[0]).toMatchObject({ score: 1, answer: 'a — partition' });
  });
});
