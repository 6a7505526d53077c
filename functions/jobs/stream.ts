/**
 * The table's stream consumer: when an attempt completes, adds it to its assessment's norms and
 * to the statistics of every question version it answered, and publishes `AttemptCompleted`. Runs from the DynamoDB stream in AWS
 * and from the local stream poller on a laptop; applying a record twice changes nothing.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { publishAttemptCompleted } from '../data/events.ts';
import { applyCompletion } from '../data/statistics.ts';
import { completedAttemptOf } from '../data/stream-records.ts';
import { itemContributions } from '../domain/statistics.ts';
import { logger } from '../http/logger.ts';

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const attempt = completedAttemptOf(record);
    if (!attempt?.result) continue;
    try {
      const contributions = itemContributions(
        attempt.result.questions.map((q) => ({
          key: q.questionId,
          score: q.score,
          secondsSpent: q.secondsSpent,
        })),
      );
      await applyCompletion(attempt, contributions);
      // Published from the committed change (an outbox): exactly when the completion happened.
      await publishAttemptCompleted({
        attemptId: attempt.attemptId,
        org: attempt.org,
        assessmentId: attempt.assessmentId,
        invitationId: attempt.invitationId,
        status: attempt.status as 'submitted' | 'expired',
        score: attempt.result.score,
        ...(attempt.result.passed !== undefined ? { passed: attempt.result.passed } : {}),
        completedAt: attempt.completedAt!,
      });
    } catch (err) {
      (await logger()).error('Could not apply a completed attempt to statistics', {
        attemptId: attempt.attemptId,
        error: err as Error,
      });
      batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
    }
  }
  return { batchItemFailures };
}
