// After `npm test`: removes the run's temporary folder (see tmpdir-setup.js).
'use strict';
const fs = require('node:fs');

module.exports = function removeRunTmpdir() {
  const dir = process.env.CDK_AKS_PLATFORM_TEST_TMPDIR;
  if (!dir) return;
  fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.CDK_AKS_PLATFORM_TEST_TMPDIR;
};
