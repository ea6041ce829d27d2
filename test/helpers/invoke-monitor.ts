/**
 * Runs the monitor's Lambda entry point once per argument (a JSON event), as a deployed container
 * would: module scope reads the environment and opens the results database on first use. Its
 * stdout is what Lambda would log (EMF metrics and structured logs). Run in a process of its own
 * (`tsx test/helpers/invoke-monitor.ts '<event>' ...`) so the environment and module state are
 * the test's own, and the open database goes with the process.
 */
import { handler } from '../../lambda/monitor';

async function main(): Promise<void> {
  for (const event of process.argv.slice(2)) await handler(JSON.parse(event));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
