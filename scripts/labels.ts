import { openResultsDatabase } from '../lambda/db';
import { runLabelsCli } from './results-cli/run-labels-cli';

/** `npm run labels -- load <file.csv|file.jsonl> [--source <name>]`; see {@link runLabelsCli}. */
runLabelsCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  openDatabase: () => openResultsDatabase(),
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`labels failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
