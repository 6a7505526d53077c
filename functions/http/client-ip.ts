import type { HttpEvent } from './api.ts';

/**
 * The viewer's network address. In AWS every request reaches the HTTP API through CloudFront
 * (infra/aws/edge.ts), so the connection's source is a CloudFront edge server, which changes
 * from request to request; CloudFront passes the viewer's own address and port in
 * `CloudFront-Viewer-Address` (`198.51.100.10:46532`, `2001:db8::1:46532`). Without that header
 * (the local gateway, a direct call) the connection's source is the viewer. A caller who
 * bypasses CloudFront can set the header: use the address for signals, never for access.
 */
export function clientIp(event: Pick<HttpEvent, 'headers' | 'requestContext'>): string {
  const viewer = event.headers?.['cloudfront-viewer-address']?.trim();
  const colon = viewer?.lastIndexOf(':') ?? -1;
  if (viewer && colon > 0 && /^\d{1,5}$/.test(viewer.slice(colon + 1))) {
    return viewer.slice(0, colon);
  }
  return event.requestContext.http.sourceIp;
}
