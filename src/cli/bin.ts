/** Process entry of the selkie CLI (bundled to dist/cli/main.cjs, loaded by the stub dist/cli/selkie.cjs). */
import { main } from './main.js';
import { endQuietlyOnStdoutEpipe, writeStderr } from './output/stdio-write.js';

// A reader that went away (`selkie export C | head`) ends the command quietly, as it does for Go
// and C programs killed by SIGPIPE, instead of reporting a write error.
endQuietlyOnStdoutEpipe();

main(process.argv.slice(2)).then(
  // Exit explicitly: a command must not hang on a handle some library left open. Writes to pipes,
  // files and terminals are synchronous on Linux, so nothing printed is lost.
  (code) => process.exit(code),
  (e: unknown) => {
    writeStderr(`Error: ${String(e)}\n`);
    process.exit(125);
  },
);
