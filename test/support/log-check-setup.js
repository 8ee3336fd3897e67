'use strict';
/** jest globalSetup: a fresh folder where every facade started by a test copies its raw log lines. */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxf-test-logs-'));
  process.env.MXF_TEST_LOG_DIR = dir;
};
