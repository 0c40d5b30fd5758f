// Decompression bombs, produced as a stream: a gzip member whose deflate data is one block of a
// repeating chunk, written again and again. Compressing a chunk on its own and ending it with a full
// flush makes it independent of what came before, so the copies can follow each other; the result
// is an ordinary single-member gzip file (correct CRC and length) of `chunk` repeated `times`.
import { constants, crc32, deflateRawSync } from 'node:zlib';

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff]);
// An empty final block with fixed Huffman codes: BFINAL=1, BTYPE=01, end-of-block.
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

export function* gzipRepeated(chunk: Buffer, times: number): Generator<Buffer> {
  const block = deflateRawSync(chunk, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  yield GZIP_HEADER;
  let crc = 0;
  for (let i = 0; i < times; i++) {
    crc = crc32(chunk, crc);
    yield block;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE((chunk.length * times) % 2 ** 32, 4);
  yield Buffer.concat([FINAL_BLOCK, trailer]);
}

/** A whole bomb in memory: only for small ones (a few hundred MB decompressed, a few hundred KB packed). */
export function gzipRepeatedBuffer(chunk: Buffer, times: number): Buffer {
  return Buffer.concat([...gzipRepeated(chunk, times)]);
}

/** `unit` repeated to about `bytes`, whole units only. */
export function repeatTo(unit: Buffer, bytes: number): Buffer {
  return Buffer.concat(Array.from({ length: Math.max(1, Math.floor(bytes / unit.length)) }, () => unit));
}
