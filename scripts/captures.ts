import { readCaptureConfig } from '../lambda/config';
import { openResultsDatabase } from '../lambda/db';
import { runCapturesCli } from './captures-cli/run-captures-cli';

/** `npm run captures -- load | delete ...`; see {@link runCapturesCli}. */
runCapturesCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  openDatabase: () => openResultsDatabase(),
  dir: readCaptureConfig().dir,
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`captures failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
