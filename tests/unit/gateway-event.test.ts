/**
 * The local gateway's event, as API Gateway's (payload format 2.0) parses from JSON: query-string
 * parameters and headers are records of own keys only, so a key that every JavaScript object
 * already has (`__proto__`, `constructor`, `toString`) is an ordinary key with the value sent.
 */
import { describe, expect, it } from 'vitest';
import { RESERVED_NAMES } from '../../functions/domain/reserved.ts';
import { buildEvent } from '../../infra/local/gateway.ts';

describe("the local gateway's event", () => {
  it('holds a query key such as __proto__ or constructor as an own key with the value sent', async () => {
    const names = [...RESERVED_NAMES];
    const url = `/v1/areas?${names.map((n) => `${n}=x`).join('&')}&limit=1&limit=2`;
    const { event } = await buildEvent({ method: 'GET', url, headers: { host: 'localhost' } });
    const query = event.queryStringParameters!;
    expect(Object.getPrototypeOf(query)).toBeNull();
    // Before: `__proto__` vanished (an assignment to the prototype), `constructor` read
    // "function Object() { [native code] },x" (the inherited value joined with the one sent).
    for (const n of names) expect(Object.getOwnPropertyDescriptor(query, n)?.value, n).toBe('x');
    expect(query.limit).toBe('1,2');
    expect(Object.keys(query)).toHaveLength(names.length + 1);
  });

  it('holds a header named like a member of every object as an own header', async () => {
    const { event } = await buildEvent({
      method: 'GET',
      url: '/v1/areas',
      // As Node hands them over: own keys (an object literal's `__proto__` would set its prototype).
      headers: Object.fromEntries([
        ['host', 'localhost'],
        ['__proto__', 'p'],
        ['constructor', 'c'],
        ['toString', 't'],
      ]),
    });
    const headers = event.headers;
    expect(Object.getPrototypeOf(headers)).toBeNull();
    expect(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value).toBe('p');
    expect(headers.constructor).toBe('c');
    expect(headers.tostring).toBe('t');
    // An absent header is absent, not inherited.
    expect(headers.valueof).toBeUndefined();
    expect(headers['content-type']).toBeUndefined();
  });
});
