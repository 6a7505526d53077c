/**
 * The employer's report rendered: the printable HTML page and the radar chart. A side entry
 * (`#side/report`, see `sideEntries` in infra/aws/bundling.ts), loaded only by
 * `GET /v1/attempts/{id}/report.html` and `report.svg`, so the employer-attempts function's
 * other requests do not compile it. Pure functions of the report: no state of its own.
 */
export { radarSvg } from '../domain/radar-svg.ts';
export { REPORT_CONTENT_SECURITY_POLICY, reportHtml } from './report-html.ts';
