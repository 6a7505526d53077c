/**
 * The table's stream consumer: when an attempt completes (its result item is written), adds it
 * to its assessment's norms and to the statistics of every question version it was given,
 * leaves its anonymous response records for calibration, and publishes `AttemptCompleted`
 * (an employer's preview is skipped: it counts nowhere). Runs from the DynamoDB stream in AWS
 * and from the local stream
 * poller on a laptop; applying a record twice changes nothing.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { isPreviewResult } from '../data/attempt-results.ts';
import { publishAttemptCompleted } from '../data/events.ts';
import { putResponseRecords } from '../data/response-records.ts';
import { applyCompletion } from '../data/statistics.ts';
import { completedAttemptOf, completionOfRecord } from '../data/stream-records.ts';
import { responsesByOwner } from '../domain/response-records.ts';
import { itemContributions } from '../domain/statistics.ts';
import { logger } from '../http/logger.ts';

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const completed = completedAttemptOf(record);
    if (!completed) continue;
    // An employer's preview counts nowhere: not in norms, item statistics, calibration
    // responses or AttemptCompleted (docs/state-machines.md#preview-attempts).
    if (completed.kind === 'result' && isPreviewResult(completed.item)) continue;
    let attemptId: string | undefined;
    try {
      const c = completionOfRecord(completed);
      attemptId = c.attemptId;
      const byKey = itemContributions(
        c.result.questions.map((q, i) => ({
          key: String(i),
          score: q.score,
          secondsSpent: q.secondsSpent,
        })),
      );
      const contributions = new Map([...byKey].map(([k, v]) => [Number(k), v]));
      const ttl = typeof completed.item.ttl === 'number' ? completed.item.ttl : undefined;
      const records = c.preview ? [] : responsesByOwner(c.result.questions, c.questionOrgs);
      await applyCompletion(c, contributions, {
        oldLayout: completed.kind === 'old-layout',
        ...(ttl ? { ttl } : {}),
        ...(records.length
          ? { also: [() => putResponseRecords(c.attemptId, c.completedAt, records, ttl)] }
          : {}),
      });
      // Published from the committed change (an outbox): exactly when the completion happened.
      await publishAttemptCompleted({
        attemptId: c.attemptId,
        org: c.org,
        assessmentId: c.assessmentId,
        invitationId: c.invitationId,
        status: c.status,
        score: c.result.score,
        ...(c.result.passed !== undefined ? { passed: c.result.passed } : {}),
        completedAt: c.completedAt,
      });
    } catch (err) {
      (await logger()).error('Could not apply a completed attempt to statistics', {
        attemptId,
        error: err as Error,
      });
      batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
    }
  }
  return { batchItemFailures };
}
