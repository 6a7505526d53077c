// `node:http` for Lambda bundles (LAMBDA_ALIASES in bundling.ts): the same module, required as
// CommonJS. An ESM `import ... from 'node:http'` (middy's util does one) makes Node build the
// module's ESM facade, which reads every export, and Node 22+'s lazy `http.WebSocket` getters
// then load undici: about 20 ms of CPU at import for a module the function never uses (the AWS
// SDK speaks https on Lambda). `require` hands over the module without reading its exports.
// biome-ignore lint/style/useNodejsImportProtocol: `node:http` is aliased to this very file; the bare name is the builtin.
module.exports = require('http');
