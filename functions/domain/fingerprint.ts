/**
 * FNV-1a, 64 bits, over a text's UTF-8, as 16 hex digits: the fingerprint behind neutral option
 * orders and content-derived ids. A start hashes every option text it draws, cold: in V8's
 * interpreter the JavaScript loop below costs about 1,700 machine instructions per byte (64-bit
 * arithmetic in doubles, or in 16-bit limbs, alike), a tenth of a start's own work. The same
 * loop as a WebAssembly function does 64-bit integer arithmetic natively: about 12 million fewer
 * instructions in a start of 20 questions (valgrind, bench/README.md, round 7).
 * WebAssembly needs no Node built-in (the candidate web app type-checks this domain for the
 * browser); where it cannot be compiled (a page whose Content-Security-Policy forbids it), the
 * JavaScript loop gives the same digits. No library: npm's FNV packages hash in JavaScript, and
 * the module is 101 bytes, built below from named opcodes.
 */

const ENCODER = new TextEncoder();
const OFFSET_BASIS = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;

/** WebAssembly opcodes and types used below (the core specification, chapter 5: binary format). */
const op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  i32Load8U: 0x2d,
  i32Const: 0x41,
  i64Const: 0x42,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i64Mul: 0x7e,
  i64Xor: 0x85,
  i64ExtendI32U: 0xad,
} as const;
const I32 = 0x7f;
const I64 = 0x7e;
const VOID_BLOCK = 0x40;

/** A signed LEB128 (how the binary format writes an integer constant). */
function sleb(value: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asIntN(64, value);
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && !(byte & 0x40)) || (v === -1n && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

/** A section: its id, then its size (one LEB128 byte: every section here is under 128 bytes). */
const section = (id: number, body: number[]) => [id, body.length, ...body];

/**
 * `(memory (export "m") 1)` and `(func (export "f") (param $n i32) (result i64))`: FNV-1a over
 * the first `$n` bytes of memory. Locals: 0 is `$n`, 1 the hash (i64), 2 the index (i32).
 */
function moduleBytes(): Uint8Array {
  const code = [
    ...[2, 1, I64, 1, I32], // two local declarations: one i64, one i32
    ...[op.i64Const, ...sleb(OFFSET_BASIS), op.localSet, 1],
    ...[op.block, VOID_BLOCK, op.loop, VOID_BLOCK],
    ...[op.localGet, 2, op.localGet, 0, op.i32GeU, op.brIf, 1], // index >= n: done
    ...[op.localGet, 1, op.localGet, 2, op.i32Load8U, 0, 0, op.i64ExtendI32U, op.i64Xor],
    ...[op.i64Const, ...sleb(PRIME), op.i64Mul, op.localSet, 1], // hash = (hash ^ byte) * prime
    ...[op.localGet, 2, op.i32Const, 1, op.i32Add, op.localSet, 2, op.br, 0],
    ...[op.end, op.end, op.localGet, 1, op.end],
  ];
  const name = (s: string) => [s.length, ...[...s].map((c) => c.charCodeAt(0))];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, [1, 0x60, 1, I32, 1, I64]), // one type: (i32) -> i64
    ...section(3, [1, 0]), // one function, of type 0
    ...section(5, [1, 0x00, 1]), // one memory, at least 1 page (64 KiB)
    ...section(7, [2, ...name('m'), 0x02, 0, ...name('f'), 0x00, 0]), // exports
    ...section(10, [1, code.length, ...code]),
  ]);
}

/** The little of the WebAssembly API used here (not in every lib this domain compiles with). */
type Memory = { buffer: ArrayBuffer; grow(pages: number): number };
type WasmApi = {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
};
type Native = { memory: Memory; hash: (n: number) => bigint };
let native: Native | null | undefined;

function compiled(): Native | null {
  if (native !== undefined) return native;
  native = null;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    if (wasm) {
      const { exports } = new wasm.Instance(new wasm.Module(moduleBytes()));
      native = { memory: exports.m as Memory, hash: exports.f as Native['hash'] };
    }
  } catch {
    // Not allowed here (a Content-Security-Policy without 'wasm-unsafe-eval'): JavaScript.
  }
  return native;
}

const TWO_32 = 0x1_0000_0000;

/**
 * The same digits in JavaScript, where WebAssembly cannot be compiled. The 64-bit state is two
 * 32-bit halves in plain numbers: the prime is 2^40 + 0x1b3, so a product is the halves times
 * 0x1b3 (exact below 2^53) plus the low half shifted 40 bits into the high one.
 */
export function fingerprintInJs(text: string): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  const bytes = ENCODER.encode(text);
  for (let i = 0; i < bytes.length; i++) {
    const x = (lo ^ bytes[i]!) >>> 0;
    const low = x * 0x1b3;
    lo = low % TWO_32;
    hi = (hi * 0x1b3 + Math.floor(low / TWO_32) + ((x << 8) >>> 0)) % TWO_32;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/** FNV-1a 64 of the text's UTF-8, as 16 hex digits. */
export function fingerprint(text: string): string {
  const wasm = compiled();
  if (!wasm) return fingerprintInJs(text);
  // UTF-8 takes at most 3 bytes per UTF-16 unit: make room first, then encode in place.
  const room = text.length * 3;
  const pages = Math.ceil((room - wasm.memory.buffer.byteLength) / 65_536);
  if (pages > 0) wasm.memory.grow(pages);
  const { written } = ENCODER.encodeInto(text, new Uint8Array(wasm.memory.buffer));
  return BigInt.asUintN(64, wasm.hash(written)).toString(16).padStart(16, '0');
}
