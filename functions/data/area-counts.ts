import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.ts';
import { keys } from './keys.ts';

/** `count_<area>`: published questions. */
const COUNT = 'count_';
/** `hints_<area>`: the sum of the time hints (seconds) of the counted questions that have one. */
const HINTS = 'hints_';
/** `hinted_<area>`: how many counted questions have a time hint. */
const HINTED = 'hinted_';

/**
 * Set on every question head whose time hint is in the sums above. Heads written before the
 * sums existed lack it: when such a question is replaced or retired, its hint is not
 * subtracted (it was never added), so the sums never drift; it joins them when it next changes.
 */
export const HINT_COUNTED = 'hintCounted';

/**
 * Counts are split over this many items so that concurrent writers (the chunks of one upload
 * run 8 at a time) never update the same item inside their transactions: on DynamoDB two
 * transactions touching one item conflict. Reading sums the shards in the same BatchGetItem.
 */
export const COUNT_SHARDS = 8;

export interface AreaTotals {
  /** Published questions in the area. */
  questionCount: number;
  /** The mean time hint (seconds, rounded) of those that have one; absent when none has. */
  timeHintSeconds?: number;
}

/**
 * Published-question counts and time-hint sums per area, a few small items per organisation
 * (`count_<area>`, `hints_<area>`, `hinted_<area>` attributes), kept current inside the same
 * transactions that publish or retire questions. Reading them is one BatchGet of the
 * organisations' shards, whatever the size of the bank; the mean hint is over every
 * organisation read (the shipped bank plus the caller's own).
 */
export async function readAreaCounts(orgs: readonly string[]): Promise<Record<string, AreaTotals>> {
  const out = await db().send(
    new BatchGetCommand({
      RequestItems: {
        [tableName()]: {
          Keys: orgs.flatMap((o) =>
            Array.from({ length: COUNT_SHARDS }, (_, n) => keys.areaCounts(o, n)),
          ),
        },
      },
    }),
  );
  const sums = new Map<string, { count: number; hints: number; hinted: number }>();
  const sum = (area: string) => {
    const s = sums.get(area) ?? { count: 0, hints: 0, hinted: 0 };
    sums.set(area, s);
    return s;
  };
  for (const item of out.Responses?.[tableName()] ?? []) {
    for (const [attr, n] of Object.entries(item)) {
      if (typeof n !== 'number') continue;
      if (attr.startsWith(COUNT)) sum(attr.slice(COUNT.length)).count += n;
      else if (attr.startsWith(HINTS)) sum(attr.slice(HINTS.length)).hints += n;
      else if (attr.startsWith(HINTED)) sum(attr.slice(HINTED.length)).hinted += n;
    }
  }
  const totals: Record<string, AreaTotals> = Object.create(null);
  for (const [area, s] of sums) {
    totals[area] = {
      questionCount: s.count,
      ...(s.hinted > 0 && s.hints > 0 ? { timeHintSeconds: Math.round(s.hints / s.hinted) } : {}),
    };
  }
  return totals;
}

/** A question as the counts see it: its area and its time hint, if any. */
interface Counted {
  area: string;
  timeHintSeconds?: number;
}

/** The changes one write makes to an organisation's per-area counts and hint sums. */
export class AreaDeltas {
  readonly #attrs = new Map<string, number>();

  #bump(attr: string, n: number) {
    this.#attrs.set(attr, (this.#attrs.get(attr) ?? 0) + n);
  }

  /** A published question enters the counts (new, edited or republished). */
  enter(q: Counted): this {
    this.#bump(`${COUNT}${q.area}`, 1);
    if (typeof q.timeHintSeconds === 'number') {
      this.#bump(`${HINTS}${q.area}`, q.timeHintSeconds);
      this.#bump(`${HINTED}${q.area}`, 1);
    }
    return this;
  }

  /** A published head leaves them (replaced by a new version, or retired). */
  leave(head: Record<string, unknown>): this {
    const area = head.area as string;
    this.#bump(`${COUNT}${area}`, -1);
    if (head[HINT_COUNTED] === true && typeof head.timeHintSeconds === 'number') {
      this.#bump(`${HINTS}${area}`, -head.timeHintSeconds);
      this.#bump(`${HINTED}${area}`, -1);
    }
    return this;
  }

  /** Attribute deltas that change something. */
  entries(): [string, number][] {
    return [...this.#attrs].filter(([, n]) => n !== 0);
  }
}

/** The transaction item that applies the deltas to one of an organisation's count shards. */
export function areaCountsUpdate(
  org: string,
  deltas: AreaDeltas,
  shard = Math.floor(Math.random() * COUNT_SHARDS),
) {
  const entries = deltas.entries();
  if (entries.length === 0) return undefined;
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const parts = entries.map(([attr, n], i) => {
    names[`#a${i}`] = attr;
    values[`:n${i}`] = n;
    return `#a${i} :n${i}`;
  });
  return {
    Update: {
      TableName: tableName(),
      Key: keys.areaCounts(org, shard % COUNT_SHARDS),
      UpdateExpression: `ADD ${parts.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}
