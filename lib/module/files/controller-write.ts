// Writing a file on the controller (fetch, inventory_file) with the same
// guarantees as a write on a host: a temp file beside the target whose name
// carries 128 random bits, created with O_CREAT|O_EXCL so that nothing planted
// in the folder (a symlink, a FIFO, a device) is ever opened, then fsync and
// rename(2) over the target, which replaces the name itself.

import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Without `mode` the file is created 0644 less the umask (as fetch's files were); with it, exactly `mode`. */
export async function writeControllerFile(path: string, content: string | Buffer, mode?: number): Promise<void> {
  const base = basename(path);
  const random = randomBytes(16).toString('hex');
  const tmp = join(dirname(path), base.length > 200 ? `.tsplay-${random}` : `.${base}.tsplay-${random}`);
  // 'wx': O_WRONLY|O_CREAT|O_EXCL.
  const fh = await open(tmp, 'wx', mode === undefined ? 0o644 : 0o600);
  try {
    try {
      await fh.writeFile(content);
      if (mode !== undefined) await fh.chmod(mode);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}
