/**
 * The one definition of how a Lambda bundle is built. The CDK stack hands `lambdaBundling()`
 * to every `NodejsFunction`; the benchmark builds with `esbuildOptions()`, which is derived
 * from the same object, so a measured bundle is byte-for-byte the bundle CDK deploys.
 */
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
    logLevel: 'warning',
  };
}
