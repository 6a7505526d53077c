/**
 * The one definition of how a Lambda bundle is built. The CDK stack hands `lambdaBundling()`
 * to every `NodejsFunction`; the benchmark builds with `esbuildOptions()`, which is derived
 * from the same object, so a measured bundle is byte-for-byte the bundle CDK deploys.
 */
import { SourceMap } from 'node:module';
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
  // ESM imports of node:http load undici (its WebSocket getters); node-http.ts requires it.
  'node:http': resolve(import.meta.dirname, 'node-http.ts'),
  http: resolve(import.meta.dirname, 'node-http.ts'),
};

/** The aliases of `node:http`, for ES modules only. */
const NODE_HTTP = ['node:http', 'http'];

/**
 * Modules that the code loads only when a request needs them (`createRequire(...)('yaml')` in
 * functions/domain/bank.ts: only YAML uploads; the HTML converter, the XML parser and the
 * transliteration of titles: only Moodle imports), so bundlers leave them out of the bundle.
 * Each is built into a minified module of its own beside the bundle
 * (`node_modules/<name>/index.js` in the asset), where that runtime `require` finds it.
 */
export const SIDE_MODULES = [
  'yaml',
  'turndown',
  '@xmldom/xmldom',
  '@sindresorhus/transliterate',
  '@aws-sdk/client-lambda',
  'micromark',
] as const;

/**
 * Side modules built from their ESM files (as the bundle is: tree-shaken, 306 KB for the Lambda
 * client where its CommonJS build is 437 KB). The Lambda client is the one loaded by
 * functions/data/invoke.ts, only by requests that start a job (an upload going asynchronous, the
 * last part of a part-wise import). Others keep their CommonJS build, whose `require` shape the
 * code expects (turndown's ESM build would export its class as `default`). micromark (only the
 * employer's HTML report renders markdown on the server, functions/http/report-html.ts) has
 * only an ESM build: its CommonJS side module exports `micromark` by name, as its ESM does.
 */
const ESM_SIDE_MODULES: ReadonlySet<string> = new Set(['@aws-sdk/client-lambda']);

/** The esbuild command lines that build the side modules into `outputDir/node_modules`. */
export function sideModuleCommands(inputDir: string, outputDir: string): string[] {
  // The bundle's aliases apply to its side modules too (an SDK client gets the environment
  // credentials, as the bundle's does), but for node:http: a CommonJS side module requires it
  // (no ESM facade to avoid), and node-http.ts, an ES module, would find no import.meta there.
  const aliases = Object.entries(LAMBDA_ALIASES)
    .filter(([from]) => !NODE_HTTP.includes(from))
    .map(([from, to]) => ` "--alias:${from}=${to}"`)
    .join('');
  return SIDE_MODULES.flatMap((name) => {
    const dir = `${outputDir}/node_modules/${name}`;
    const esm = ESM_SIDE_MODULES.has(name) ? ' --main-fields=module,main' : '';
    return [
      `"${inputDir}/node_modules/.bin/esbuild" "${inputDir}/node_modules/${name}" --bundle --platform=node --format=cjs --target=${NODE_TARGET} --minify${esm}${aliases} --log-level=warning --outfile="${dir}/index.js"`,
      `echo '{"name":"${name}","main":"index.js"}' > "${dir}/package.json"`,
    ];
  });
}

/** The `bundling` props of every `NodejsFunction`. */
export function lambdaBundling(): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: NODE_TARGET,
    minify: true,
    // Written beside the bundle and uploaded with it, but not applied at run time (no
    // NODE_OPTIONS=--enable-source-maps): `npm run stack-trace` maps a logged trace offline.
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
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir, outputDir) => sideModuleCommands(inputDir, outputDir),
    },
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

/**
 * Map the minified positions of a stack trace (`index.mjs:1:23456`) back to the sources with
 * the bundle's source map, which ships beside `index.mjs` in every function's asset (Lambda
 * does not apply it: `--enable-source-maps` costs 40-100 ms per cold start). Node's own source
 * map support (`node:module` SourceMap) does the lookup. Positions it cannot map stay as they are.
 */
export function mapStackTrace(trace: string, sourceMap: object): string {
  const map = new SourceMap(sourceMap as never);
  return trace.replace(/([\w./-]*index\.mjs):(\d+):(\d+)/g, (whole, _file, line, column) => {
    const e = map.findEntry(Number(line) - 1, Number(column) - 1) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (!e.originalSource) return whole;
    const source = e.originalSource.replace(/^.*?\/(functions|node_modules)\//, '$1/');
    return `${source}:${e.originalLine! + 1}:${e.originalColumn! + 1}`;
  });
}
