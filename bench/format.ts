/** The results as plain-text tables (what `npm run bench` prints). */
import type { BenchResults } from './harness.ts';

function table(headers: string[], rows: (string | number)[][], right = new Set<number>()): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const n = (x: number | undefined, d = 1) =>
  x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d);
const range = (from: number, to: number) =>
  new Set(Array.from({ length: to - from + 1 }, (_, i) => from + i));

/** The columns of both capacity tables (per operation and per workflow). */
const CAPACITY_COLUMNS = [
  'n',
  'calls',
  'Local CU',
  'AWS CU',
  'AWS read',
  'AWS write',
  'of which GSI (Local)',
];

export function formatResults(r: BenchResults): string {
  const out: string[] = [];
  const m = r.meta;
  out.push(
    `Assay benchmark (${m.mode}) ${m.startedAt}, ${m.durationS} s, Node ${m.node}, ${m.cpus} x ${m.cpuModel}, DynamoDB ${m.dynamodb}${m.streams ? ', tables with streams' : ', tables without streams'}`,
  );

  if (r.coldStart) {
    out.push(
      '',
      '1. Cold-start proxy: fresh Node process, import bundle + serve one request (medians)',
    );
    out.push(
      table(
        [
          'function',
          'request',
          'runs',
          'bundle',
          'gzip',
          'floor',
          'import ms',
          'first ms',
          'total ms',
          'floor ms',
          'ratio',
          'same calls',
        ],
        r.coldStart.map((c) => [
          c.function,
          c.request,
          c.runs,
          kb(c.bundle.bytes),
          kb(c.bundle.gzipBytes),
          c.floorBundle ? kb(c.floorBundle.bytes) : '-',
          n(c.real?.importMs),
          n(c.real?.firstMs),
          n(c.real?.totalMs),
          n(c.floor?.totalMs),
          n(c.ratio, 2),
          c.sameCalls === undefined
            ? '-'
            : c.sameCalls
              ? `yes (${c.real!.calls.length})`
              : `NO ${c.real?.calls.join('+')} vs ${c.floor?.calls.join('+')}`,
        ]),
        range(2, 10),
      ),
    );
    const floorImport = r.coldStart
      .filter((c) => c.floor)
      .map((c) => `${c.function} ${n(c.floor!.importMs)}/${n(c.floor!.firstMs)}`);
    if (floorImport.length) out.push(`floor import/first ms: ${floorImport.join(', ')}`);
    out.push(
      '',
      'What makes each bundle big (minified bytes by package; the import chain that pulls in the largest):',
    );
    for (const c of r.coldStart) {
      out.push(
        `  ${c.function}: ${c.bundle.topPackages
          .slice(0, 7)
          .map((p) => `${p.name} ${kb(p.bytes)}`)
          .join(', ')}`,
      );
      out.push(
        `    folders: ${c.bundle.topFolders
          .slice(0, 5)
          .map((p) => `${p.name} ${kb(p.bytes)}`)
          .join(', ')}`,
      );
      for (const [pkg, chain] of Object.entries(c.bundle.pulledInBy).slice(0, 4))
        out.push(`    ${pkg} <- ${[...chain].reverse().slice(1).join(' <- ')}`);
    }
  }

  if (r.warm) {
    out.push('', '2. Warm overhead: one request at a time through the local gateway (ms)');
    out.push(
      table(
        [
          'endpoint',
          'n',
          'client p50',
          'client p99',
          'gateway p50',
          'gateway p99',
          'dynamo p50',
          'dynamo p99',
          'calls',
          'ratio p50',
          'errors',
        ],
        r.warm.map((w) => [
          w.endpoint,
          w.n,
          n(w.clientMs.p50, 2),
          n(w.clientMs.p99, 2),
          n(w.serverMs.p50, 2),
          n(w.serverMs.p99, 2),
          n(w.dynamoMs.p50, 2),
          n(w.dynamoMs.p99, 2),
          w.calls.median,
          n(w.ratio, 2),
          w.errors,
        ]),
        range(1, 10),
      ),
    );
  }

  if (r.cost) {
    out.push(
      '',
      '3. DynamoDB cost per request (capacity units: Local as reported, AWS corrected; medians)',
    );
    out.push(
      table(
        ['operation', ...CAPACITY_COLUMNS],
        r.cost.operations.map((o) => [
          o.operation,
          o.samples,
          o.calls.join('+'),
          n(o.localUnits, 1),
          n(o.awsUnits, 1),
          n(o.awsReadUnits, 1),
          n(o.awsWriteUnits, 1),
          n(o.localIndexUnits, 1),
        ]),
        range(3, 7),
      ),
    );
    out.push(
      table(
        ['20-question workflow', ...CAPACITY_COLUMNS],
        r.cost.workflows.map((w) => [
          w.variant,
          w.samples,
          w.calls,
          n(w.localUnits, 1),
          n(w.awsUnits, 1),
          n(w.awsReadUnits, 1),
          n(w.awsWriteUnits, 1),
          n(w.localIndexUnits, 1),
        ]),
        range(1, 7),
      ),
    );
    for (const x of [...r.cost.operations, ...r.cost.workflows])
      if (x.note) out.push(`${'operation' in x ? x.operation : x.variant}: ${x.note}`);
    const ib = r.cost.itemBytes;
    out.push(
      `item sizes: attempt at start ${ib.attemptAtStart} B, submitted ${ib.attemptSubmitted} B; question version ${ib.questionVersion} B; assessment ${ib.assessment} B`,
    );
    for (const note of m.calibration.notes) out.push(`calibration: ${note}`);
  }

  if (r.scale) {
    out.push(
      '',
      '4. Scale: the 20-question workflow (empty question cache at each start) by bank size',
    );
    out.push(
      table(
        [
          'questions',
          'load s',
          'create assessment ms (calls)',
          'workflows',
          'workflow p50 ms',
          'start',
          'save',
          'submit',
          'report',
          'floor p50 ms',
          'workflow/floor',
          'calls',
          'Local CU',
          'AWS CU',
        ],
        r.scale.points.map((p) => [
          p.questions,
          n(p.load.ms / 1000, 1),
          `${n(p.createAssessment.ms, 1)} (${p.createAssessment.calls})`,
          p.workflows,
          n(p.workflowMsP50, 1),
          n(p.requestMsP50.start, 2),
          n(p.requestMsP50.save, 2),
          n(p.requestMsP50.submit, 2),
          n(p.requestMsP50.report, 2),
          n(p.probeMsP50, 2),
          n(p.normalizedWorkflow, 2),
          p.callsPerWorkflow,
          n(p.localUnitsPerWorkflow, 1),
          n(p.awsUnitsPerWorkflow, 1),
        ]),
        range(0, 13),
      ),
    );
    out.push(
      `largest/smallest: workflow/floor ${n(r.scale.normalizedLatencyRatio, 3)} (the target), raw workflow p50 ${n(r.scale.latencyRatio, 3)}, capacity ${n(r.scale.capacityRatio, 3)}`,
    );
  }

  if (r.load) {
    const l = r.load;
    out.push(
      '',
      `5. Load: ${l.candidates} concurrent candidates x ${l.requestsPerCandidate} requests (20 saves + submit), ${l.rounds} rounds`,
    );
    const row = (name: string, x: typeof l.floor) => [
      name,
      x.requests,
      x.ok,
      x.errors,
      n(x.wallMs / 1000, 2),
      n(x.throughput, 1),
      n(x.latencyMs.p50, 2),
      n(x.latencyMs.p99, 2),
      x.hitDeadline ? 'yes' : 'no',
    ];
    out.push(
      table(
        ['run', 'requests', 'ok', 'errors', 'wall s', 'req/s', 'p50 ms', 'p99 ms', 'deadline hit'],
        [
          ...l.runs.map((x, i) =>
            row(`${i + 1}. ${x.kind === 'floor' ? 'raw UpdateItem floor' : 'gateway'}`, x),
          ),
          row('gateway, all rounds', l.gateway),
          row('floor, all rounds', l.floor),
        ],
        range(1, 7),
      ),
    );
    out.push(
      `acknowledged answers ${l.gateway.acknowledgedAnswers}, lost ${l.gateway.lostAnswers}, submitted ${l.gateway.submitted}/${l.candidates * l.rounds}; throughput ratio (median rounds) ${n(l.throughputRatio, 3)}${Object.keys(l.gateway.errorKinds).length ? `; errors ${JSON.stringify(l.gateway.errorKinds)}` : ''}`,
    );
  }

  out.push('', 'Targets');
  out.push(
    table(
      ['', 'target', 'value', 'limit'],
      r.targets.map((t) => [t.pass ? 'PASS' : 'MISS', t.description, String(t.value), t.limit]),
    ),
  );
  const missed = r.targets.filter((t) => !t.pass).length;
  out.push(`${r.targets.length - missed} of ${r.targets.length} targets met.`);
  return out.join('\n');
}
