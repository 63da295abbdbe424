// Deterministic log-like bytes of an exact size, for benchmark files up to several GiB.
// The output is one "cycle" of lines repeated and cut at sizeBytes; every chunk is a view
// into one prebuilt block, so memory stays flat whatever the size and the reader's pace.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';

const CHUNK_BYTES = 64 * 1024;
const PATTERN_LINES = 1000;
const STATEMENTS = [
  'SELECT id, status, total FROM orders WHERE customer_id = ?',
  'UPDATE orders SET status = ? WHERE id = ?',
  'INSERT INTO order_items (order_id, sku, quantity) VALUES (?, ?, ?)',
  'SELECT COUNT(*) FROM invoices WHERE issued_at > ?',
  'DELETE FROM sessions WHERE expires_at < ?',
];

/** A fixed pseudo-random sequence (LCG), so the pattern is the same on every machine. */
function* sequence(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    yield state >>> 8;
  }
}

function builtInPattern(): Buffer {
  const next = sequence(20261120);
  const start = Date.UTC(2026, 10, 20, 9, 0, 0);
  const lines: string[] = [];
  for (let i = 0; i < PATTERN_LINES; i++) {
    const [a = 0, b = 0, c = 0] = [next.next().value, next.next().value, next.next().value];
    const time = new Date(start + i * 250 + (a % 250)).toISOString();
    const statement = (STATEMENTS[b % STATEMENTS.length] ?? '').replaceAll('?', () =>
      String(next.next().value % 100000),
    );
    lines.push(
      `${time} ${1000 + (c % 9000)} [Note] query_time=0.${String(a % 1000000).padStart(6, '0')} ${statement};\n`,
    );
  }
  return Buffer.from(lines.join(''));
}

function cycleOf(fixture: string | undefined): Buffer {
  if (fixture === undefined) return builtInPattern();
  const bytes = readFileSync(fixture);
  if (bytes.length === 0) throw new Error(`cannot generate content from the empty fixture ${fixture}`);
  return bytes[bytes.length - 1] === 0x0a ? bytes : Buffer.concat([bytes, Buffer.from('\n')]);
}

export class GeneratedContent extends Readable {
  private readonly cycleLength: number;
  /** The cycle repeated until any CHUNK_BYTES window starting inside the first cycle fits. */
  private readonly block: Buffer;
  private position = 0;

  constructor(
    private readonly sizeBytes: number,
    fixture?: string,
  ) {
    super({ highWaterMark: CHUNK_BYTES });
    const cycle = cycleOf(fixture);
    this.cycleLength = cycle.length;
    this.block = Buffer.concat(Array(Math.ceil(CHUNK_BYTES / cycle.length) + 1).fill(cycle));
  }

  override _read(): void {
    const remaining = this.sizeBytes - this.position;
    if (remaining <= 0) {
      this.push(null);
      return;
    }
    const offset = this.position % this.cycleLength;
    const length = Math.min(CHUNK_BYTES, remaining);
    this.position += length;
    this.push(this.block.subarray(offset, offset + length));
  }
}
