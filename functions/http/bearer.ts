/** The bearer token of an `Authorization` header, or undefined. (No JWT library: every function uses it.) */
export function bearerOf(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m?.[1];
}
