import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { completionOfOldLayout, type OldLayoutAttempt } from './attempt-legacy.ts';
import { type Completion, completionOf } from './attempt-results.ts';
import { keys } from './keys.ts';

/** A stream record that completed an attempt, not yet decoded. */
export type CompletedRecord =
  /** A result item written (new layout): the completion is its new image. */
  | { kind: 'result'; item: Record<string, unknown> }
  /** An old-layout attempt item whose status went active -> submitted|expired. */
  | { kind: 'old-layout'; item: Record<string, unknown> };

/**
 * The completion a stream record carries, or undefined for every other change: a result item's
 * INSERT, or an old-layout attempt item's status going `active -> submitted|expired` (written by
 * the previous code just before a deploy). Reads only the images; no call to DynamoDB.
 */
export function completedAttemptOf(record: DynamoDBRecord): CompletedRecord | undefined {
  const img = record.dynamodb;
  const pk = img?.NewImage?.PK?.S ?? img?.Keys?.PK?.S;
  if (!img?.NewImage || !pk?.startsWith('ATT#')) return undefined;
  const sk = img.NewImage.SK?.S;
  if (record.eventName === 'INSERT' && sk === keys.attemptResult('').SK) {
    return { kind: 'result', item: unmarshall(typed(img.NewImage as never)) };
  }
  if (record.eventName !== 'MODIFY' || !img.OldImage || sk !== keys.attempt('').SK)
    return undefined;
  const before = img.OldImage.status?.S;
  const after = img.NewImage.status?.S;
  if (before !== 'active' || (after !== 'submitted' && after !== 'expired')) return undefined;
  return { kind: 'old-layout', item: unmarshall(typed(img.NewImage as never)) };
}

/** The completion of a completed record (the result body decompressed). */
export function completionOfRecord(r: CompletedRecord): Completion {
  return r.kind === 'result'
    ? completionOf(r.item)
    : completionOfOldLayout(r.item as unknown as OldLayoutAttempt);
}

/**
 * Drop attribute values that carry no type, and turn binary values that arrive as base64 text
 * (Lambda's JSON event) into bytes. The DynamoDB Streams client deserialises an empty map from
 * DynamoDB Local as `{}`, which `unmarshall` rejects; such values are empty anyway.
 */
function typed(image: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const clean = (v: AttributeValue): AttributeValue | undefined => {
    if (!v || Object.keys(v).length === 0) return undefined;
    if (v.M) return { M: typed(v.M) };
    if (v.L) return { L: v.L.map(clean).filter((x): x is AttributeValue => x !== undefined) };
    const b = (v as { B?: unknown }).B;
    if (typeof b === 'string') return { B: Buffer.from(b, 'base64') };
    return v;
  };
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(image)) {
    const c = clean(v);
    if (c) out[k] = c;
  }
  return out;
}
