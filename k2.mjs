import { spawn } from 'node:child_process';
for (let i = 0; i < 8; i++) {
  const child = spawn('strace', ['-f', '-o', `/tmp/st-${i}.txt`, '-e', 'trace=rt_sigaction,kill,tgkill,exit_group,write', process.execPath, 'dist/cli.js','--port','0','--in-memory','--log-level','silent','--build-executor','local'], { stdio: ['ignore','pipe','pipe'] });
  let out=''; let killed = false; child.stdout.on('data', c => { out += c; if (!killed && /listening/.test(out)) { killed = true; spawn('pkill', ['-TERM', '-P', String(child.pid)]); } });
  const [code, sig] = await new Promise(r => child.on('exit', (c, s) => r([c, s])));
  console.log(i, code, sig, JSON.stringify(out.slice(-60)));
}
