/**
 * CloudWatch figures (issue 15): PutMetricData throughput (requests of 20 datapoints from 8
 * concurrent SDK clients, as datapoints per second) and GetMetricData latency (median and p95 of
 * a request with three metric queries and two expressions over a day of one-minute data).
 * Run with `npx tsx bench/cloudwatch.bench.ts`. Prints figures; asserts nothing.
 */
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { startServer } from '../src/server.js';

const CLIENTS = 8;
const REQUESTS = 400;
const PER_REQUEST = 20;
const QUERIES = 50;
const MINUTE = 60_000;

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

const server = await startServer({ port: 0, inMemory: true, logLevel: 'silent' });
const client = () => new CloudWatchClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
try {
  const now = Math.floor(Date.now() / MINUTE) * MINUTE;
  const datum = (i: number, j: number): MetricDatum => ({
    MetricName: `M${j % 3}`,
    Dimensions: [{ Name: 'Host', Value: `h${i % 4}` }],
    Timestamp: new Date(now - ((i * PER_REQUEST + j) % 1440) * MINUTE),
    Value: (i * 7 + j) % 100,
    Unit: 'Count',
  });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const cw = client();
      while (next < REQUESTS) {
        const i = next++;
        await cw.send(new PutMetricDataCommand({ Namespace: 'Bench', MetricData: Array.from({ length: PER_REQUEST }, (_, j) => datum(i, j)) }));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`PutMetricData: ${REQUESTS} requests of ${PER_REQUEST} datapoints from ${CLIENTS} clients in ${seconds.toFixed(2)} s = ${Math.round(REQUESTS / seconds)} requests/s, ${Math.round((REQUESTS * PER_REQUEST) / seconds)} datapoints/s`);

  const cw = client();
  const metric = (name: string) => ({ Namespace: 'Bench', MetricName: name, Dimensions: [{ Name: 'Host', Value: 'h0' }] });
  const latencies: number[] = [];
  let points = 0;
  for (let q = 0; q < QUERIES; q++) {
    const t = performance.now();
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 1440 * MINUTE),
        EndTime: new Date(now + MINUTE),
        MetricDataQueries: [
          { Id: 'a', MetricStat: { Metric: metric('M0'), Period: 60, Stat: 'Sum' } },
          { Id: 'b', MetricStat: { Metric: metric('M1'), Period: 60, Stat: 'Average' } },
          { Id: 'c', MetricStat: { Metric: metric('M2'), Period: 300, Stat: 'p90' } },
          { Id: 'ratio', Expression: '100 * FILL(a, 0) / (a + b)' },
          { Id: 'total', Expression: 'SUM(METRICS())' },
        ],
      }),
    );
    latencies.push(performance.now() - t);
    points = out.MetricDataResults!.reduce((n, r) => n + r.Values!.length, 0);
  }
  console.log(`GetMetricData: 3 metrics + 2 expressions over one day (${points} datapoints returned): median ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms over ${QUERIES} calls`);
} finally {
  await server.stop();
}
