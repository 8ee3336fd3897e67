'use strict';
/**
 * jest globalTeardown: grep every log line the facades wrote during the whole test run (raw, before the logger's
 * masking safety net) for the sandbox NHS numbers. One in clear fails the run.
 */
const fs = require('node:fs');
const path = require('node:path');

const NHS_NUMBERS = ['9000000009', '9000000017', '9000000025', '9000000033', '9000000041', '9000000068', '9000000076', '9000000084'];

module.exports = async () => {
  const dir = process.env.MXF_TEST_LOG_DIR;
  if (!dir || !fs.existsSync(dir)) return;
  let lines = 0;
  const offending = [];
  for (const file of fs.readdirSync(dir)) {
    for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (line === '') continue;
      lines += 1;
      if (NHS_NUMBERS.some((n) => line.includes(n))) offending.push(line.slice(0, 300));
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  if (offending.length > 0) throw new Error(`log check: ${offending.length} log line(s) contain an NHS number in clear, e.g.\n${offending.slice(0, 3).join('\n')}`);
  process.stdout.write(`\nlog check: ${lines} log lines written by the facades in this run, none with an NHS number in clear\n`);
};
