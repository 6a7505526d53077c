import { logger } from '../http/logger.ts';

export interface AttemptCompletedDetail {
  attemptId: string;
  org: string;
  assessmentId: string;
  invitationId: string;
  status: 'submitted' | 'expired';
  score: number;
  passed?: boolean;
  completedAt: string;
}

/**
 * Publish `AttemptCompleted` for integrations: to EventBridge when `EVENT_BUS_NAME` is set (the
 * CDK stack sets it), otherwise as a structured log line (locally). The SDK client is loaded
 * only where it is used.
 */
export async function publishAttemptCompleted(detail: AttemptCompletedDetail): Promise<void> {
  const bus = process.env.EVENT_BUS_NAME;
  if (!bus) {
    (await logger()).info('AttemptCompleted', { event: 'AttemptCompleted', ...detail });
    return;
  }
  const { EventBridgeClient, PutEventsCommand } = await import('@aws-sdk/client-eventbridge');
  client ??= new EventBridgeClient({});
  await client.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: bus,
          Source: 'assay',
          DetailType: 'AttemptCompleted',
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
}

let client: import('@aws-sdk/client-eventbridge').EventBridgeClient | undefined;
