/**
 * The one definition of how a Lambda bundle is built. The CDK stack hands `lambdaBundling()`
 * to every `NodejsFunction`; the benchmark builds with `esbuildOptions()`, which is derived
 * from the same object, so a measured bundle is byte-for-byte the bundle CDK deploys.
 */
import { readFileSync } from 'node:fs';
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
 * `node:http` becomes the same module required as CommonJS (node-http.cjs): imported as ESM,
 * Node builds its facade by reading every export, which loads undici (Node's fetch) through
 * `http.WebSocket`'s lazy getter, about 20 ms of CPU per cold start on this machine
 * (nodejs/node#59686).
 */
export const LAMBDA_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': resolve(
    import.meta.dirname,
    '../../functions/data/lambda-credentials.ts',
  ),
  'node:http': resolve(import.meta.dirname, 'node-http.cjs'),
};

/**
 * Modules that the code loads only when a request needs them (`createRequire(...)('yaml')` in
 * functions/domain/bank.ts: only YAML uploads; the HTML converter, the XML parser and the
 * transliteration of titles: only Moodle imports; the Powertools logger: only a request or a
 * job run that logs, functions/http/logger.ts; the Lambda client and markdown-it, below), so
 * bundlers leave them out of the bundle.
 * Each is built into a minified module of its own beside the bundle
 * (`node_modules/<name>/index.js` in the asset), where that runtime `require` finds it.
 */
export const SIDE_MODULES = [
  'yaml',
  'turndown',
  '@xmldom/xmldom',
  '@sindresorhus/transliterate',
  '@aws-lambda-powertools/logger',
  '@aws-sdk/client-lambda',
  'markdown-it',
] as const;

/**
 * Side modules built from their ESM files (as the bundle is: tree-shaken, 306 KB for the Lambda
 * client where its CommonJS build is 437 KB). The Lambda client is loaded by
 * functions/data/invoke.ts, only by requests that start a job (an upload going asynchronous, the
 * last part of a part-wise import, a synchronous upload that replaced questions). Others keep
 * their CommonJS build, whose `require` shape the code expects (turndown's and markdown-it's ESM
 * builds would export their class as `default`; markdown-it is loaded only by the employer's
 * HTML report, functions/http/report-html.ts).
 */
const ESM_SIDE_MODULES: ReadonlySet<string> = new Set(['@aws-sdk/client-lambda']);

/**
 * Imports of a side module that its build takes from a smaller entry of the same package.
 * markdown-it imports only `decodeHTML` and `decodeHTMLStrict` from entities, whose index also
 * builds its 23 KB encoding table when it loads; entities publishes its decoder alone as
 * `entities/lib/decode.js` (the very functions its index re-exports). The entry is resolved from
 * the side module's own folder, so it is the entities version the module depends on (a build
 * that cannot find it fails; it cannot take another package's).
 */
const SIDE_MODULE_ENTRIES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'markdown-it': { entities: 'entities/lib/decode.js' },
};

/**
 * The bundle's aliases that side modules get too (an SDK client takes the environment
 * credentials, as the bundle's does); not node:http, which a CommonJS side module requires
 * without building its ESM facade.
 */
const SIDE_MODULE_ALIASES = Object.entries(LAMBDA_ALIASES)
  .filter(([from]) => from !== 'node:http')
  .map(([from, to]) => ` "--alias:${from}=${to}"`)
  .join('');

/**
 * Project modules that only some requests load, imported as `#side/<name>` (e.g.
 * `await import('#side/openapi')`: the OpenAPI document builder, with every route's schemas and
 * zod's JSON Schema code, loaded only by `GET /v1/openapi.json`). The mapping is the
 * `imports` field of package.json, so tsx, vitest and tsc load the source; bundles keep the
 * specifier (it is external), and each side entry is built with the bundle's own options into
 * `side/<name>.mjs` beside it, with a package.json whose `imports` maps the specifier there.
 */
export function sideEntries(root = resolve(import.meta.dirname, '../..')): Record<string, string> {
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
    imports?: Record<string, string>;
  };
  return Object.fromEntries(
    Object.entries(pkg.imports ?? {})
      .filter(([specifier]) => specifier.startsWith(SIDE_PREFIX))
      .map(([specifier, source]) => [specifier.slice(SIDE_PREFIX.length), source]),
  );
}

/** The specifier prefix of side entries (see `sideEntries`). */
export const SIDE_PREFIX = '#side/';

/**
 * The esbuild command lines that build the side modules into `outputDir/node_modules` and the
 * side entries into `outputDir/side`.
 */
export function sideModuleCommands(inputDir: string, outputDir: string): string[] {
  const esbuild = `"${inputDir}/node_modules/.bin/esbuild"`;
  const modules = SIDE_MODULES.flatMap((name) => {
    const dir = `${outputDir}/node_modules/${name}`;
    const esm = ESM_SIDE_MODULES.has(name) ? ' --main-fields=module,main' : '';
    const own = Object.entries(SIDE_MODULE_ENTRIES[name] ?? {});
    // esbuild resolves an alias's target from its working directory: the module's own folder.
    const cd = own.length ? `cd "${inputDir}/node_modules/${name}" && ` : '';
    const aliases = own.map(([specifier, entry]) => ` "--alias:${specifier}=${entry}"`).join('');
    return [
      `${cd}${esbuild} "${inputDir}/node_modules/${name}" --bundle --platform=node --format=cjs --target=${NODE_TARGET} --minify${esm}${SIDE_MODULE_ALIASES}${aliases} --log-level=warning --outfile="${dir}/index.js"`,
      `echo '{"name":"${name}","main":"index.js"}' > "${dir}/package.json"`,
    ];
  });
  const entries = Object.entries(sideEntries());
  if (entries.length === 0) return modules;
  const imports = Object.fromEntries(
    entries.map(([name]) => [`${SIDE_PREFIX}${name}`, `./side/${name}.mjs`]),
  );
  return [
    ...modules,
    ...entries.map(
      ([name, source]) =>
        `${esbuild} "${inputDir}/${source.replace(/^\.\//, '')}" ${sideEntryArgs()} --outfile="${outputDir}/side/${name}.mjs"`,
    ),
    `echo '${JSON.stringify({ imports })}' > "${outputDir}/package.json"`,
  ];
}

/** The bundle's own esbuild options (`lambdaBundling`) as command-line flags, for side entries. */
function sideEntryArgs(): string {
  const b = lambdaBundling();
  return [
    '--bundle',
    '--platform=node',
    `--format=${b.format === OutputFormat.ESM ? 'esm' : 'cjs'}`,
    `--target=${b.target ?? NODE_TARGET}`,
    ...(b.minify ? ['--minify'] : []),
    ...(b.sourceMap ? ['--sourcemap'] : []),
    ...(b.externalModules ?? []).map((m) => `"--external:${m}"`),
    ...(b.mainFields ? [`--main-fields=${b.mainFields.join(',')}`] : []),
    ...(b.banner ? [`"--banner:js=${b.banner}"`] : []),
    ...Object.entries(LAMBDA_ALIASES).map(([from, to]) => `"--alias:${from}=${to}"`),
    '--log-level=warning',
  ].join(' ');
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
    // Nothing external but the side entries (`#side/*`, built beside the bundle): `@aws-sdk/*`
    // is bundled (CDK's default leaves it to the runtime's copy), which measured faster cold
    // starts and pins the SDK version we test against.
    externalModules: [`${SIDE_PREFIX}*`],
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
