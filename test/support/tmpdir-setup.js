// Before `npm test`: the temporary folders of the run (those of the tests, and the output folder
// that every cdk8s and cdktf Testing app creates and never removes) go into one folder of the run,
// removed after it (tmpdir-teardown.js). Left in the system's temporary folder, they pile up by
// the hundred thousand, and every synth whose output is in that folder lists it (to recover from
// an interrupted synth): half a second per synth.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = function useRunTmpdir() {
  if (process.env.CDK_AKS_PLATFORM_TEST_TMPDIR) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-aks-platform-tests-'));
  process.env.CDK_AKS_PLATFORM_TEST_TMPDIR = dir;
  // os.tmpdir() reads TMPDIR each time; the workers inherit it.
  process.env.TMPDIR = dir;
};
