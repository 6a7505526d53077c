/**
 * The mail job: the table's stream drives the outbox. Each invitation image whose `mailState`
 * is `queued` is a message to send (once: see `deliverQueued`); an assessment's new reminder
 * setting re-times its reminders; a deleted assessment's invitations are removed. Runs from the
 * DynamoDB stream in AWS and from the local stream poller on a laptop; a record delivered twice
 * sends nothing twice.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { assessmentChangeOf, queuedMailOf } from '../data/outbox.ts';
import { clock } from '../domain/clock.ts';
import { logger } from '../http/logger.ts';
import { deliverQueued, followAssessmentChange } from '../services/mail.ts';

/** Messages sent at once: a batch of invitations goes out in seconds, not one by one. */
const CONCURRENCY = 8;

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const failed = new Set<number>();
  let next = 0;
  const worker = async () => {
    while (next < event.Records.length) {
      const i = next++;
      const record = event.Records[i]!;
      try {
        const mail = queuedMailOf(record);
        if (mail && (await deliverQueued(mail.invitationId, mail.seq, clock.now())) === 'busy') {
          failed.add(i);
        }
        const change = assessmentChangeOf(record);
        if (change) await followAssessmentChange(change, clock.now());
      } catch (err) {
        // The error names the invitation, never its link (the token exists only in the mail).
        (await logger()).error('Could not process an outbox record', {
          keys: record.dynamodb?.Keys,
          error: err as Error,
        });
        failed.add(i);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, event.Records.length) }, worker));
  return {
    batchItemFailures: [...failed]
      .sort((a, b) => a - b)
      .map((i) => ({ itemIdentifier: event.Records[i]!.dynamodb?.SequenceNumber ?? '' })),
  };
}
