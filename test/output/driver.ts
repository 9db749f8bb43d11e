// A synth without a platform, for the tests of SynthOutput in child processes: writes files
// `0.out` ... `4.out` holding `<version> <i>` into each folder given. Version `fail` fails after
// the folders are opened (so only the recovery of an earlier synth runs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runMain } from '../../lib/cli';
import { EntryKind, pauseForTest, SynthStep, writeOutputFolders } from '../../lib/output/synth-output';
import { PlatformError } from '../../lib/platform-file/errors';

runMain('driver', () => {
  const [version, ...dirs] = process.argv.slice(2);
  const folders = dirs.map((dir) => ({
    dir,
    setting: 'outdir',
    isOutput: (rel: string, kind: EntryKind) => kind === EntryKind.FILE && rel.endsWith('.out'),
  }));
  const recovered = writeOutputFolders('driver', folders, (output) => {
    if (version === 'fail') throw new PlatformError('failed on purpose');
    for (const dir of dirs) {
      const staging = output.stagingDir(dir);
      for (let i = 0; i < 5; i++) {
        fs.writeFileSync(path.join(staging, `${i}.out`), `${version} ${i}\n`);
        pauseForTest(SynthStep.WRITING);
      }
    }
    return output.recovered;
  });
  process.stdout.write(`recovered: ${recovered.join(',')}\n`);
});
