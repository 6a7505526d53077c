import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { alwaysAsk, db, tableName } from './client.ts';

/** The key read by the readiness check: an item that never exists, so the read costs 0.5 RCU. */
const PROBE_KEY = { PK: 'HEALTH', SK: 'PROBE' };

/**
 * Whether the table answers a read within `timeoutMs`: one eventually consistent GetItem of a
 * key that is never written. Resolves when it answers; a fault (unreachable, throttled, too
 * slow) rejects with `UnavailableError`, as any other call would.
 */
export async function probeTable(timeoutMs: number): Promise<void> {
  // Asked even while the client's breaker refuses requests' calls: readiness says what the
  // database does now, and its answer is what closes the breaker.
  await db().send(alwaysAsk(new GetCommand({ TableName: tableName(), Key: PROBE_KEY })), {
    abortSignal: AbortSignal.timeout(timeoutMs),
  });
}
