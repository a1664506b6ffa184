/**
 * JSON.parse, with each object's key order as written (Python's json keeps
 * it; JavaScript puts integer-like keys first). JSON.parse does the parsing
 * and the validation; only a text that has an integer-like key gets a second
 * pass, which walks the text beside the parsed value and records the order of
 * the objects that need it (dict-order.ts). The pass is linear, and bounded in
 * depth: objects nested deeper keep JavaScript's order.
 */
import { isIndexKey, setOrder } from './dict-order.js';

const MAX_DEPTH = 500;

export function parseJsonOrdered(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (/"\d+"\s*:/.test(text)) {
    try {
      new OrderPass(text).walk(value, 0);
    } catch (e) {
      // Deeper than MAX_DEPTH: the objects below keep JavaScript's order; the value is whole.
      if (!(e instanceof RangeError)) throw e;
    }
  }
  return value;
}

class OrderPass {
  private i = 0;
  constructor(private readonly text: string) {}

  private ws(): void {
    const t = this.text;
    while (this.i < t.length && (t[this.i] === ' ' || t[this.i] === '\t' || t[this.i] === '\n' || t[this.i] === '\r')) this.i++;
  }

  /** Reads a string token (the text is valid JSON: JSON.parse read it first). */
  private string(): string {
    const t = this.text;
    const start = this.i++;
    let escaped = false;
    while (t[this.i] !== '"') {
      if (t[this.i] === '\\') {
        escaped = true;
        this.i++;
      }
      this.i++;
    }
    this.i++;
    return escaped ? (JSON.parse(t.slice(start, this.i)) as string) : t.slice(start + 1, this.i - 1);
  }

  walk(v: unknown, depth: number): void {
    if (depth > MAX_DEPTH) throw new RangeError('too deep');
    this.ws();
    const t = this.text;
    const c = t[this.i];
    if (c === '{') {
      this.i++;
      const keys: string[] = [];
      this.ws();
      if (t[this.i] === '}') {
        this.i++;
        return;
      }
      for (;;) {
        this.ws();
        const k = this.string();
        this.ws();
        this.i++; // ':'
        this.walk(v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined, depth + 1);
        keys.push(k);
        this.ws();
        if (t[this.i++] !== ',') break;
      }
      if (v !== null && typeof v === 'object' && keys.some(isIndexKey)) setOrder(v, keys);
    } else if (c === '[') {
      this.i++;
      this.ws();
      if (t[this.i] === ']') {
        this.i++;
        return;
      }
      for (let n = 0; ; n++) {
        this.walk(Array.isArray(v) ? v[n] : undefined, depth + 1);
        this.ws();
        if (t[this.i++] !== ',') break;
      }
    } else if (c === '"') {
      this.string();
    } else {
      while (this.i < t.length && !',]} \t\n\r'.includes(t[this.i]!)) this.i++;
    }
  }
}
