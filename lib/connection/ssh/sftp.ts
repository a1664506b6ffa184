/**
 * File operations over one SFTP session per connection, with requests
 * pipelined (many reads or writes in flight) so a file costs about one round
 * trip per window rather than one per 32 KiB.
 */
import type { SFTPWrapper, Stats } from 'ssh2';
import type { FileStat } from '../types.js';

const CHUNK = 32 * 1024;
const IN_FLIGHT = 32;

/** Errors carry node:fs-style codes (ENOENT, EACCES) so callers treat both transports alike. */
export function sftpError(op: string, path: string, err: Error & { code?: unknown }): Error {
  const code = err.code === 2 ? 'ENOENT' : err.code === 3 ? 'EACCES' : 'EIO';
  return Object.assign(new Error(`${op} ${path}: ${err.message}`), { code, cause: err });
}

function call<T>(fn: (cb: (err: Error | undefined | null, v: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));
}

export function toFileStat(s: Stats): FileStat {
  return {
    isFile: s.isFile(),
    isDirectory: s.isDirectory(),
    isSymlink: s.isSymbolicLink(),
    mode: s.mode & 0o7777,
    uid: s.uid,
    gid: s.gid,
    size: s.size,
    mtimeMs: s.mtime * 1000,
  };
}

async function pool(count: number, worker: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const run = async () => {
    while (next < count && failed === undefined) {
      const i = next++;
      try {
        await worker(i);
      } catch (e) {
        failed ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, count) }, run));
  if (failed !== undefined) throw failed;
}

export class Sftp {
  constructor(readonly raw: SFTPWrapper) {}

  /** `exclusive` refuses an existing path (temp files: no following a planted symlink). */
  async writeFile(path: string, data: Buffer, mode?: number, exclusive = false): Promise<void> {
    let handle: Buffer;
    try {
      handle = await call<Buffer>((cb) => this.raw.open(path, exclusive ? 'wx' : 'w', mode !== undefined ? { mode } : {}, cb));
    } catch (e) {
      throw sftpError('put', path, e as Error);
    }
    try {
      const chunks = Math.ceil(data.length / CHUNK);
      await pool(chunks, (i) =>
        call<void>((cb) => this.raw.write(handle, data, i * CHUNK, Math.min(CHUNK, data.length - i * CHUNK), i * CHUNK, cb as never)),
      );
      // open() applies the mode only to a new file; a given mode is wanted either way.
      if (mode !== undefined) await call<void>((cb) => this.raw.fchmod(handle, mode, cb as never));
      await call<void>((cb) => this.raw.ext_openssh_fsync(handle, cb as never)).catch(() => {});
    } catch (e) {
      await call<void>((cb) => this.raw.close(handle, cb as never)).catch(() => {});
      throw sftpError('put', path, e as Error);
    }
    try {
      await call<void>((cb) => this.raw.close(handle, cb as never));
    } catch (e) {
      throw sftpError('put', path, e as Error);
    }
  }

  async readFile(path: string): Promise<Buffer> {
    let handle: Buffer;
    try {
      handle = await call<Buffer>((cb) => this.raw.open(path, 'r', cb));
    } catch (e) {
      throw sftpError('get', path, e as Error);
    }
    try {
      const st = await call<Stats>((cb) => this.raw.fstat(handle, cb));
      const parts: Buffer[] = [];
      if (st.size > 0) {
        const buf = Buffer.alloc(st.size);
        let short = false;
        await pool(Math.ceil(st.size / CHUNK), async (i) => {
          const want = Math.min(CHUNK, st.size - i * CHUNK);
          let got = 0;
          while (got < want) {
            const n = await this.readAt(handle, buf, i * CHUNK + got, want - got, i * CHUNK + got);
            if (n === 0) {
              short = true;
              return;
            }
            got += n;
          }
        });
        parts.push(short ? Buffer.alloc(0) : buf);
        if (short) parts.push(await this.readFrom(handle, 0));
        else parts.push(await this.readFrom(handle, st.size)); // the file grew while we read
      } else {
        parts.push(await this.readFrom(handle, 0)); // /proc files report size 0
      }
      return Buffer.concat(parts);
    } catch (e) {
      throw sftpError('get', path, e as Error);
    } finally {
      await call<void>((cb) => this.raw.close(handle, cb as never)).catch(() => {});
    }
  }

  private readAt(handle: Buffer, buf: Buffer, offset: number, length: number, position: number): Promise<number> {
    return new Promise((resolve, reject) =>
      this.raw.read(handle, buf, offset, length, position, (err, n) => {
        // ssh2 reports end of file as an error with code 1 (EOF)
        if (err && (err as { code?: unknown }).code === 1) resolve(0);
        else if (err) reject(err);
        else resolve(n);
      }),
    );
  }

  private async readFrom(handle: Buffer, position: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (;;) {
      const buf = Buffer.alloc(CHUNK);
      const n = await this.readAt(handle, buf, 0, CHUNK, position);
      if (n === 0) break;
      parts.push(buf.subarray(0, n));
      position += n;
    }
    return Buffer.concat(parts);
  }

  async lstat(path: string): Promise<FileStat | null> {
    try {
      return toFileStat(await call<Stats>((cb) => this.raw.lstat(path, cb)));
    } catch (e) {
      if ((e as { code?: unknown }).code === 2) return null;
      throw sftpError('stat', path, e as Error);
    }
  }

  async chmod(path: string, mode: number): Promise<void> {
    await call<void>((cb) => this.raw.chmod(path, mode, cb as never)).catch((e) => {
      throw sftpError('chmod', path, e as Error);
    });
  }

  async chown(path: string, uid: number, gid: number): Promise<void> {
    await call<void>((cb) => this.raw.chown(path, uid, gid, cb as never)).catch((e) => {
      throw sftpError('chown', path, e as Error);
    });
  }

  /** Replaces `to` atomically (OpenSSH's posix-rename); plain SFTP rename refuses an existing target. */
  async rename(from: string, to: string): Promise<void> {
    try {
      await call<void>((cb) => this.raw.ext_openssh_rename(from, to, cb as never));
    } catch (e) {
      if (!/not support/i.test((e as Error).message)) throw sftpError('rename', from, e as Error);
      await call<void>((cb) => this.raw.rename(from, to, cb as never)).catch((e2) => {
        throw sftpError('rename', from, e2 as Error);
      });
    }
  }

  end(): void {
    try {
      this.raw.end();
    } catch {}
  }
}
