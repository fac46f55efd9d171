'use strict';
// Preloaded (node --require) into a process a benchmark measures: when it exits, it writes its
// peak resident set and CPU time to the file BENCH_USAGE_FILE names. process.resourceUsage()
// is the kernel's own account (ru_maxrss), so nothing has to be sampled from outside.
const { writeFileSync } = require('node:fs');
const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKb: usage.maxRSS, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 }));
  });
}
