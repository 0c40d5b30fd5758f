// How far an ingest lets its JavaScript heaps grow between full collections.
//
// V8 sets each heap's next limit to what survived the last full collection times a factor it
// picks between 1.1 and 4, larger when collecting looks cheap; an ingest allocates fast and keeps
// little, so its heaps ran at about four times their live size. On 10,000 synthetic cables the
// main heap kept at most 65 MB alive but held up to 289 MB, each extraction thread 32 MB in 171 MB
// (`node --trace-gc`), and the process peaked at 874 MB. A fixed factor of 1.5 (the flag below)
// costs more full collections of small heaps. The flag is process-wide: the extraction threads
// follow it too. The server keeps V8's defaults.
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
