/** The results as plain-text tables (what `npm run bench` prints). */
import type { BenchResults } from './harness.ts';
import type { Spread } from './lib/stats.ts';

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
/** `1.12 (1.05-1.31)`: the median and the range of the rounds. */
const spread = (s: Spread | undefined, d = 2) =>
  !s ? '-' : s.n > 1 ? `${n(s.median, d)} (${n(s.min, d)}-${n(s.max, d)})` : n(s.median, d);

export function formatResults(r: BenchResults): string {
  const out: string[] = [];
  const m = r.meta;
  out.push(
    `Assay benchmark (${m.mode}) ${m.startedAt}, ${m.durationS} s, Node ${m.node}, ${m.cpus} x ${m.cpuModel}, DynamoDB ${m.dynamodb}${m.streams ? ', tables with streams' : ', tables without streams'}`,
    'Ratios are the median of interleaved rounds with their range (min-max); a verdict needs the whole range on one side of the goal.',
  );

  if (r.coldStart) {
    out.push(
      '',
      "1. Cold-start proxy: fresh Node process, import bundle + serve the function's worst request (medians)",
    );
    out.push(
      table(
        [
          'function',
          'request',
          'runs',
          'bundle',
          '+ side',
          'gzip',
          'import ms',
          'first ms',
          'total ms',
          'floor ms',
          'ratio (rounds)',
          'same calls',
        ],
        r.coldStart.map((c) => [
          c.function,
          c.request,
          c.runs,
          kb(c.bundle.bytes),
          c.loadedBytes !== undefined ? kb(c.loadedBytes - c.bundle.bytes) : '-',
          kb(c.bundle.gzipBytes),
          n(c.real?.importMs),
          n(c.real?.firstMs),
          n(c.real?.totalMs),
          n(c.floor?.totalMs),
          spread(c.rounds),
          c.sameCalls === undefined
            ? '-'
            : c.sameCalls
              ? `yes${c.real ? ` (${c.real.calls.length})` : ''}`
              : c.real
                ? `NO ${c.real.calls.join('+')} vs ${c.floor?.calls.join('+')}`
                : 'NO (below)',
        ]),
        range(2, 9),
      ),
    );
    for (const c of r.coldStart.filter((x) => x.floorParses)) {
      const p = c.floorParses!;
      out.push(
        `  ${c.function}: its floor also parses the ${p.texts === 1 ? 'YAML text' : `${p.texts} YAML texts`} the function parsed (${kb(p.bytes)}) with the same module (${p.module}); the floor making the calls only: ${n(c.floorCallsOnly?.totalMs)} ms, ratio ${spread(c.callsOnlyRounds)} (context, no verdict)`,
      );
    }
    for (const c of r.coldStart.filter((x) => x.floorRenders)) {
      const p = c.floorRenders!;
      out.push(
        `  ${c.function}: its floor also renders the ${p.texts} markdown texts the function rendered (${kb(p.bytes)}) with the same module (${p.module}); the floor making the calls only: ${n(c.floorCallsOnly?.totalMs)} ms, ratio ${spread(c.callsOnlyRounds)} (context, no verdict)`,
      );
    }
    const counted = r.coldStart.filter((c) => c.instructions);
    if (counted.length) {
      out.push(
        '',
        'Instructions (--instructions: each process under valgrind callgrind, millions, median (min-max); no verdict, the goal is on time):',
        table(
          [
            'function',
            'runs',
            'function',
            'floor',
            'floor, calls only',
            'boot',
            'above boot / floor',
            'same calls',
          ],
          counted.map((c) => {
            const i = c.instructions!;
            return [
              c.function,
              c.runs,
              spread(i.function, 1),
              spread(i.floor, 1),
              spread(i.floorCallsOnly, 1),
              spread(i.boot, 1),
              // A run that did other work (a 503 after its time budget) says nothing of the code.
              c.sameCalls ? spread(i.ratio) : '-',
              c.sameCalls ? `yes (${i.answered?.floorCalls.length ?? '?'})` : 'NO',
            ];
          }),
          range(1, 7),
        ),
      );
      for (const c of counted.filter((x) => !x.sameCalls && x.instructions?.answered)) {
        const a = c.instructions!.answered;
        out.push(
          `  ${c.function}: the counted runs did not all make the floor's calls (${a.floorCalls.join('+')}), so no ratio. Function: ${[...new Set(a.function)].join('; ')}. Floor: ${[...new Set(a.floor)].join('; ')}.`,
        );
      }
    }
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
      for (const [pkg, chain] of Object.entries(c.bundle.pulledInBy).slice(0, 3))
        out.push(`    ${pkg} <- ${[...chain].reverse().slice(1).join(' <- ')}`);
    }
  }

  if (r.warm) {
    out.push(
      '',
      '2. Warm overhead: one request at a time through the local gateway (p50 ms; wire = DynamoDB time below the SDK and the HTTP client)',
    );
    out.push(
      table(
        [
          'endpoint',
          'n',
          'client',
          'gateway',
          'gateway p99',
          'local gw',
          'handler',
          'our code',
          'SDK',
          'wire',
          'wire p99',
          'calls',
          'gateway/wire (rounds)',
          'handler/wire (rounds)',
          '(SDK+wire)/wire',
          'errors',
        ],
        r.warm.map((w) => [
          w.endpoint,
          w.n,
          n(w.clientMs.p50, 2),
          n(w.serverMs.p50, 2),
          n(w.serverMs.p99, 2),
          n(w.localGatewayMs.p50, 2),
          n(w.handlerMs.p50, 2),
          n(w.ownMs.p50, 2),
          n(w.sdkMs.p50, 2),
          n(w.wireMs.p50, 2),
          n(w.wireMs.p99, 2),
          w.calls.median,
          spread(w.rounds),
          spread(w.handlerRounds),
          n(w.sdkOnlyRounds.median, 2),
          w.errors,
        ]),
        range(1, 15),
      ),
    );
  }

  if (r.cost) {
    out.push('', '3. DynamoDB capacity, priced as AWS bills it (median, range over samples)');
    const cap = (x: { rcu: Spread; wcu: Spread }) => [spread(x.rcu, 1), spread(x.wcu, 1)];
    out.push(
      table(
        ['request', 'n', 'calls', 'RCU', 'WCU', 'of which GSI (Local)'],
        [...r.cost.operations, r.cost.statistics].map((o) => [
          o.operation,
          o.samples,
          o.calls.join('+'),
          ...cap(o),
          n(o.localIndexUnits, 1),
        ]),
        range(3, 5),
      ),
    );
    out.push(
      table(
        ['whole attempt', 'n', 'calls', 'RCU', 'WCU'],
        r.cost.workflows.map((w) => [w.variant, w.samples, w.calls, ...cap(w)]),
        range(1, 4),
      ),
    );
    for (const o of r.cost.operations) if (o.note) out.push(`${o.operation}: ${o.note}`);
    const ib = r.cost.itemBytes;
    out.push(
      `item sizes: head at start ${ib.headAtStart} B, after 20 saves ${ib.headAfter20Saves} B; draw ${ib.draw} B; result ${ib.result} B; row ${ib.row} B; question version ${ib.questionVersion} B; assessment ${ib.assessment} B`,
    );
    for (const note of m.calibration.notes) out.push(`calibration: ${note}`);
  }

  if (r.scale) {
    out.push(
      '',
      '4. Scale: creating an assessment (rounds interleaved over the sizes) and the 20-question workflow, by bank size',
    );
    out.push(
      table(
        [
          'questions',
          'load s',
          'create ms (rounds)',
          'create calls',
          'create RCU',
          'workflow p50 ms',
          'floor p50 ms',
          'workflow/floor',
          'calls',
          'AWS CU',
        ],
        r.scale.points.map((p) => [
          p.questions,
          n(p.load.ms / 1000, 1),
          spread(p.createAssessment.ms, 1),
          spread(p.createAssessment.calls, 0),
          spread(p.createAssessment.rcu, 1),
          n(p.workflowMsP50, 1),
          n(p.probeMsP50, 2),
          n(p.normalizedWorkflow, 2),
          p.callsPerWorkflow,
          n(p.awsUnitsPerWorkflow, 1),
        ]),
        range(0, 9),
      ),
    );
    out.push(
      `largest/smallest: create time ${spread(r.scale.createRatio, 3)}, create capacity ${spread(r.scale.createCapacityRatio, 3)}, workflow/floor ${spread(r.scale.normalizedLatencyRatio, 3)}, raw workflow p50 ${n(r.scale.latencyRatio, 3)}, workflow capacity ${n(r.scale.capacityRatio, 3)}`,
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
      `acknowledged answers ${l.gateway.acknowledgedAnswers}, lost ${l.gateway.lostAnswers}, submitted ${l.gateway.submitted}/${l.candidates * l.rounds}; throughput ratio per round ${spread(l.throughputRounds, 3)}${Object.keys(l.gateway.errorKinds).length ? `; errors ${JSON.stringify(l.gateway.errorKinds)}` : ''}`,
    );
  }

  out.push('', 'Goals');
  out.push(
    table(
      ['', 'goal', 'value (rounds)', 'limit'],
      r.targets.map((t) => [
        t.verdict,
        t.description,
        `${t.spread ? spread(t.spread, 3) : String(t.value)}${t.note ? `; ${t.note}` : ''}`,
        t.limit,
      ]),
    ),
  );
  const count = (v: string) => r.targets.filter((t) => t.verdict === v).length;
  out.push(
    `${count('PASS')} of ${r.targets.length} goals met, ${count('MISS')} missed, ${count('inconclusive')} inconclusive (the range of the rounds crosses the goal).`,
  );
  return out.join('\n');
}
