/**
 * GrowableMemory: the backing store of one swarm table, grown without leaving the old copy
 * behind. A plain ArrayBuffer that doubles by copying strands its old copy until a major GC
 * happens to run (with 1,000,000 peers that was ~48 MiB of RSS for minutes, as the memory
 * benchmark showed). So a table that outgrows `IN_PLACE_FROM_BYTES` moves once into a
 * WebAssembly.Memory, which the engine grows in place: the address range is reserved up front,
 * pages are committed only when first written, and nothing is copied or left over. Small tables
 * (and runtimes without WebAssembly, e.g. `--jitless`) keep plain ArrayBuffers.
 *
 * After `grow`, views over the previous buffer are detached (or stale): callers make new ones.
 */

/** Tables below this size stay plain ArrayBuffers (many small registries, e.g. in tests). */
const IN_PLACE_FROM_BYTES = 256 * 1024;
const WASM_PAGE_BYTES = 65_536;
/** memory32 limit: 65,536 pages of 64 KiB. */
const WASM_MAX_PAGES = 65_536;

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}
type WasmMemoryConstructor = new (descriptor: { initial: number }) => WasmMemory;

const WasmMemoryClass = (globalThis as { WebAssembly?: { Memory?: WasmMemoryConstructor } }).WebAssembly?.Memory;

export class GrowableMemory {
  private wasm: WasmMemory | null = null;
  private current: ArrayBuffer;

  constructor(bytes: number) {
    this.current = new ArrayBuffer(bytes);
  }

  get buffer(): ArrayBuffer {
    return this.current;
  }

  /** Whether the table now grows in place. */
  get inPlace(): boolean {
    return this.wasm !== null;
  }

  /**
   * Makes the buffer at least `bytes` long, keeping its content (new bytes are zero), and
   * returns it. Views over the previous buffer must be recreated.
   */
  grow(bytes: number): ArrayBuffer {
    if (bytes <= this.current.byteLength) return this.current;
    if (this.wasm !== null) {
      const pages = Math.ceil(bytes / WASM_PAGE_BYTES);
      const have = this.current.byteLength / WASM_PAGE_BYTES;
      if (pages <= WASM_MAX_PAGES) {
        try {
          this.wasm.grow(pages - have);
          this.current = this.wasm.buffer;
          return this.current;
        } catch {
          // Address space refused: copy into a plain buffer below.
        }
      }
      this.wasm = null;
    } else if (bytes >= IN_PLACE_FROM_BYTES && WasmMemoryClass !== undefined) {
      const pages = Math.ceil(bytes / WASM_PAGE_BYTES);
      if (pages <= WASM_MAX_PAGES) {
        try {
          const memory = new WasmMemoryClass({ initial: pages });
          new Uint8Array(memory.buffer).set(new Uint8Array(this.current));
          this.wasm = memory;
          this.current = memory.buffer;
          return this.current;
        } catch {
          // No reservation possible: keep copying.
        }
      }
    }
    const next = new ArrayBuffer(bytes);
    new Uint8Array(next).set(new Uint8Array(this.current));
    this.current = next;
    return next;
  }
}
