import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Attempt } from './attempts.ts';

/**
 * The attempt a stream record finished (status active -> submitted|expired), or undefined for
 * every other change. Reads only the images; no call to DynamoDB.
 */
export function completedAttemptOf(record: DynamoDBRecord): Attempt | undefined {
  const img = record.dynamodb;
  if (record.eventName !== 'MODIFY' || !img?.NewImage || !img.OldImage) return undefined;
  if (!img.NewImage.PK?.S?.startsWith('ATT#')) return undefined;
  const before = img.OldImage.status?.S;
  const after = img.NewImage.status?.S;
  if (before !== 'active' || (after !== 'submitted' && after !== 'expired')) return undefined;
  return unmarshall(img.NewImage as Record<string, AttributeValue>) as Attempt;
}
