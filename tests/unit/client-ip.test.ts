import { describe, expect, it } from 'vitest';
import { clientIp } from '../../functions/http/client-ip.ts';

const event = (headers: Record<string, string>, sourceIp = '130.176.1.1') =>
  ({ headers, requestContext: { http: { sourceIp } } }) as unknown as Parameters<
    typeof clientIp
  >[0];

describe('the client address', () => {
  it("is CloudFront's viewer address, without its port, behind the distribution", () => {
    expect(clientIp(event({ 'cloudfront-viewer-address': '198.51.100.10:46532' }))).toBe(
      '198.51.100.10',
    );
    expect(clientIp(event({ 'cloudfront-viewer-address': '2001:db8::1:46532' }))).toBe(
      '2001:db8::1',
    );
  });

  it('is the connection source without that header (the local gateway, a direct call)', () => {
    expect(clientIp(event({}, '127.0.0.1'))).toBe('127.0.0.1');
  });

  it('ignores a malformed viewer address', () => {
    expect(clientIp(event({ 'cloudfront-viewer-address': 'nonsense' }, '10.0.0.1'))).toBe(
      '10.0.0.1',
    );
    expect(clientIp(event({ 'cloudfront-viewer-address': '198.51.100.10:port' }, '10.0.0.1'))).toBe(
      '10.0.0.1',
    );
  });
});
