/**
 * Prints, per service, how many of the official model's operations codesuite implements:
 * `npm run coverage:api` (add `-- --list` to name the missing ones).
 */
import { startServer } from '../src/server.js';

const server = await startServer({ port: 0, inMemory: true, logLevel: 'silent' });
const showMissing = process.argv.includes('--list');
try {
  const rows = server.services.map((s) => {
    const all = Object.keys(s.model.operations).sort();
    const done = all.filter((op) => s.operations[op]);
    return { service: s.model.metadata.serviceId, name: s.name, done, missing: all.filter((op) => !s.operations[op]), total: all.length };
  });
  const width = Math.max(...rows.map((r) => r.service.length));
  for (const r of rows) {
    const pct = ((100 * r.done.length) / r.total).toFixed(1).padStart(5);
    console.log(`${r.service.padEnd(width)}  ${String(r.done.length).padStart(3)}/${String(r.total).padEnd(3)} ${pct}%  ${r.done.join(' ')}`);
    if (showMissing && r.missing.length > 0) console.log(`${''.padEnd(width)}  missing: ${r.missing.join(' ')}`);
  }
} finally {
  await server.stop();
}
