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
  return unmarshall(typed(img.NewImage as Record<string, AttributeValue>)) as Attempt;
}

/**
 * Drop attribute values that carry no type. The DynamoDB Streams client deserialises an empty
 * map from DynamoDB Local as `{}`, which `unmarshall` rejects; such values are empty anyway.
 */
function typed(image: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const clean = (v: AttributeValue): AttributeValue | undefined => {
    if (!v || Object.keys(v).length === 0) return undefined;
    if (v.M) return { M: typed(v.M) };
    if (v.L) return { L: v.L.map(clean).filter((x): x is AttributeValue => x !== undefined) };
    return v;
  };
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(image)) {
    const c = clean(v);
    if (c) out[k] = c;
  }
  return out;
}
