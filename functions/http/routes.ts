/**
 * The route table: the single declaration of the API. The CDK stack builds its routes,
 * authorizers and functions from it, the local gateway matches requests with it, and the
 * OpenAPI document is generated from it. Each function group's routes live in
 * `routes/<group>.ts`, so that a function loads only its own schemas. A new route is an entry
 * there with its prose in the same file's `<GROUP>_PROSE` (the document's texts, left out of
 * the Lambda bundles), its operation in `functions/handlers/<group>.ts`, and its test.
 */
import type { RouteDef } from './route-types.ts';
import { AUTHORING_ROUTES } from './routes/authoring.ts';
import { CANDIDATE_ROUTES } from './routes/candidate.ts';
import { EMPLOYER_ROUTES } from './routes/employer.ts';
import { EMPLOYER_ATTEMPTS_ROUTES } from './routes/employer-attempts.ts';
import { PUBLIC_ROUTES } from './routes/public.ts';

export { BANK_CONTENT_TYPES } from './routes/authoring.ts';

export const ROUTES: readonly RouteDef[] = [
  ...PUBLIC_ROUTES,
  ...AUTHORING_ROUTES,
  ...EMPLOYER_ROUTES,
  ...EMPLOYER_ATTEMPTS_ROUTES,
  ...CANDIDATE_ROUTES,
];

/** Entry file of a function group's Lambda, relative to the repository root. */
export const handlerEntry = (group: string) => `functions/handlers/${group}.ts`;
