/**
 * The one definition of how a Lambda bundle is built. The CDK stack hands `lambdaBundling()`
 * to every `NodejsFunction`; the benchmark builds with `esbuildOptions()`, which is derived
 * from the same object, so a measured bundle is byte-for-byte the bundle CDK deploys.
 */
import { resolve } from 'node:path';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/** esbuild target matching the Lambda runtime (`nodejs24.x`). */
export const NODE_TARGET = 'node24';

/**
 * ESM bundles have no `require`; CommonJS dependencies bundled into them (parts of the AWS
 * SDK, middy's helpers) still call it, so the banner gives the module one.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * Modules replaced in Lambda bundles. The SDK's default credential chain becomes the
 * environment provider: Lambda supplies credentials in environment variables, and the chain's
 * STS/SSO clients would add about 60 KB to every bundle for code that never runs there.
 */
export const LAMBDA_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': resolve(
    import.meta.dirname,
    '../../functions/data/lambda-credentials.ts',
  ),
};

/** The `bundling` props of every `NodejsFunction`. */
export function lambdaBundling(): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: NODE_TARGET,
    minify: true,
    sourceMap: true,
    // Nothing external: `@aws-sdk/*` is bundled (CDK's default leaves it to the runtime's
    // copy), which measured faster cold starts and pins the SDK version we test against.
    externalModules: [],
    mainFields: ['module', 'main'],
    banner: ESM_REQUIRE_BANNER,
    esbuildArgs: Object.fromEntries(
      Object.entries(LAMBDA_ALIASES).map(([from, to]) => [`--alias:${from}`, to]),
    ),
    // Bundle with the project's own esbuild; there is no Docker on the build machines.
    forceDockerBundling: false,
  };
}

/**
 * The esbuild options CDK's local bundling passes for `lambdaBundling()` (it runs
 * `esbuild --bundle <entry> --platform=node ...` and names an ESM output `index.mjs`).
 *
 * @param entryPoint the handler file, e.g. `functions/handlers/public.ts`
 * @param outfile where to write the bundle, conventionally `<dir>/index.mjs`
 */
export function esbuildOptions(entryPoint: string, outfile: string): BuildOptions {
  const b = lambdaBundling();
  return {
    entryPoints: [entryPoint],
    outfile,
    bundle: true,
    platform: 'node',
    format: b.format === OutputFormat.ESM ? 'esm' : 'cjs',
    target: b.target ?? NODE_TARGET,
    minify: b.minify ?? false,
    sourcemap: b.sourceMap ?? false,
    external: [...(b.externalModules ?? [])],
    mainFields: [...(b.mainFields ?? [])],
    ...(b.banner ? { banner: { js: b.banner } } : {}),
    alias: { ...LAMBDA_ALIASES },
    logLevel: 'warning',
  };
}
