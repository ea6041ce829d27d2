import { runModelCli } from './model-cli/run-model-cli';

/** `npm run model -- <command>`: the model lifecycle CLI (see `runModelCli` and the README). */
runModelCli(process.argv.slice(2))
  .then(({ code, output }) => {
    (code === 0 ? process.stdout : process.stderr).write(`${output}\n`);
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`model: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
