/**
 * Lambda bundles only: stands in for `@aws-sdk/credential-provider-node` (see
 * `infra/aws/bundling.ts`). Lambda always hands a function its role's credentials in environment
 * variables, so the default chain's STS, SSO, INI and process providers (about 60 KB minified,
 * and cold-start work) are never used there. Local runs keep the full chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
