/** Process entry of the selkie CLI (bundled to dist/cli/selkie.cjs). */
import { main } from './main.js';

main(process.argv.slice(2)).then(
  // Exit explicitly: a command must not hang on a handle some library left open. Writes to pipes,
  // files and terminals are synchronous on Linux, so nothing printed is lost.
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`Error: ${String(e)}\n`);
    process.exit(125);
  },
);
