// Preloaded (`node --require`) by bench/process-vs-floor.ts: at exit, appends the process's CPU time (user and
// system, every thread) in ms to the file named by AOAI_BENCH_CPU_FILE. Wall time on a shared machine says
// little; CPU time says what the process itself cost.
const file = process.env.AOAI_BENCH_CPU_FILE;
if (file) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    require('node:fs').appendFileSync(file, `${(user + system) / 1000}\n`);
  });
}
