/**
 * --log FILE: the run's record appended to a file. The file is opened with
 * O_APPEND and created with mode 0600 (a record names hosts, paths and
 * commands); each line is one write(2), so lines of runs writing to the same
 * file at once never interleave.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { TsplayError } from '../errors.js';

export interface LogFile {
  write(s: string): void;
  close(): void;
}

export function openLog(path: string): LogFile {
  const file = resolve(path);
  let fd: number;
  try {
    fd = openSync(file, 'a', 0o600);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new TsplayError('option', `cannot open the log file ${file}: ${err.code === 'ENOENT' ? 'its folder does not exist' : err.code === 'EACCES' ? 'permission denied' : err.message}`, {
      hint: 'give --log (or TSPLAY_LOG_PATH) a path in a folder you can write to',
    });
  }
  let open = true;
  return {
    write(s) {
      if (!open) return;
      const buf = Buffer.from(s);
      let off = 0;
      // A regular file takes the whole line in one write; the loop is for the rare short write.
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}
