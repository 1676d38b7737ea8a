/**
 * The token of an `Authorization: Bearer <token>` header, from a Fetch `Request`, its `Headers`, or
 * the header's value; `undefined` when there is none (the verifier then refuses with `missing`).
 */
export function bearerToken(source: Request | Headers | string | null | undefined): string | undefined {
  const header = typeof source === 'string' || source == null ? source : ('headers' in source ? source.headers : source).get('authorization');
  const match = header ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
  return match?.[1];
}
