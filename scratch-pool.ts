import { startDynamoLocal } from './infra/local/dynamodb-local.ts';

const d = await startDynamoLocal({ port: 3101 });
process.env.LOG_LEVEL = 'WARN';
try {
  const { openBench } = await import('./bench/lib/setup.ts');
  const { loadBank } = await import('./bench/lib/bank.ts');
  const { capacity, watch, awsUnits } = await import('./bench/lib/dynamo.ts');
  const { SECTIONS } = await import('./bench/lib/workflow.ts');
  const b = await openBench(d.endpoint);
  for (const size of [1000, 100000]) {
    const t = await b.useNewTable(`pool${size}`);
    await loadBank(b.org, 'p', size);
    capacity.enabled = true;
    const rows = [];
    for (let i = 0; i < 7; i++) {
      const w = watch();
      const t0 = performance.now();
      const res = await b.http.request('POST', '/v1/assessments', {
        token: b.employer,
        body: { title: 'x', timeLimitMinutes: 30, sections: SECTIONS },
      });
      const ms = performance.now() - t0;
      const win = w.stop();
      rows.push([
        Math.round(ms),
        win.calls.length,
        awsUnits(win),
        win.calls.map((c) => Math.round(c.ms)).join(','),
      ]);
      if (res.status !== 201) throw new Error(res.text);
    }
    capacity.enabled = false;
    console.log(size, JSON.stringify(rows));
    await b.dropTable(t);
  }
  await b.close();
} finally {
  await d.stop();
}
