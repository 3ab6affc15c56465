// Keeps the young generation of `portcullis serve` at the size V8 gives it at start.
// Under a burst of proxied requests V8 doubles the young generation up to its ceiling (two
// 16 MiB semi-spaces here) and keeps it, which was most of the memory a long run gained. With a
// growth factor of 1 a full semi-space is still scavenged as before, only at the smaller size;
// the benchmark shows the same throughput (README, "Start, memory and WebSockets").
// Node takes --max-semi-space-size only on the node command line, which the `portcullis` shebang
// and npm's command shims cannot carry on every platform; the growth factor, by contrast, is
// read each time V8 would grow the space, so setting it once running takes effect. It is a
// process-wide flag: the built-in provider's thread keeps its young generation small too.
import { setFlagsFromString } from 'node:v8';

const hold = () => setFlagsFromString('--semi-space-growth-factor=1');

export function holdYoungGeneration(): void {
  hold();
  // V8 puts the factor back to its default whenever it sets up a new thread's heap, as when the
  // built-in provider's thread starts or is restarted: it is set again once each thread runs.
  process.on('worker', (worker) => worker.once('online', hold));
}
