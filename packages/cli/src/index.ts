/**
 * The `airflow-portal` command: runs with the process's arguments, streams
 * and environment, and exits with the code of the command.
 *
 * @packageDocumentation
 */

import { processIo } from './lib/io';
import { run } from './run';

// Output piped into a command that stops reading (`| head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      process.exit(process.exitCode ?? 0);
    }
    throw error;
  });
}

run(process.argv.slice(2), processIo()).then(code => {
  process.exitCode = code;
});
