/**
 * Frequent young-generation collections while a pull streams buffers through a thread (network
 * chunks, blob reads, gunzipped data). V8 frees a dead buffer's memory only when it collects, and
 * it lets tens of MB of them pile up between collections (per thread: up to its external-memory
 * limit), since the buffers' JavaScript objects are small. A minor collection every 50 ms (about a
 * millisecond for a small young generation) keeps the pull's memory flat. `gc` is V8's, made
 * available to new contexts by its expose-gc flag.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: ((opts: { type: 'minor' | 'major' }) => void) | undefined;

function collector(): typeof gc {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as typeof gc;
    } catch {
      gc = undefined;
    }
  }
  return gc;
}

/** Starts collecting; returns the function that stops it. The timer does not keep the process alive. */
export function collectBuffersWhile(): () => void {
  const collect = collector();
  if (collect === undefined) return () => {};
  const timer = setInterval(() => collect({ type: 'minor' }), 50);
  timer.unref();
  return () => clearInterval(timer);
}
