/**
 * --ask-pass and --ask-become-pass: asks on the terminal without echoing;
 * from a pipe, reads one line (so `printf 'pw1\npw2\n' | tsplay ...` answers
 * both questions in turn).
 */
import { readSync } from 'node:fs';

export function readLineFromFd(fd: number): string {
  // Byte by byte, so a second prompt finds its own line still unread.
  const bytes: number[] = [];
  const one = Buffer.alloc(1);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, one, 0, 1, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if ((e as NodeJS.ErrnoException).code === 'EOF') break;
      throw e;
    }
    if (n === 0 || one[0] === 0x0a) break;
    bytes.push(one[0]);
  }
  return Buffer.from(bytes).toString('utf8').replace(/\r$/, '');
}

export function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    process.stderr.write(question);
    const line = readLineFromFd(0);
    process.stderr.write('\n');
    return Promise.resolve(line);
  }
  return new Promise((resolve, reject) => {
    let answer = '';
    const wasRaw = stdin.isRaw;
    // Echo goes off before the question shows, so an answer typed (or pasted) at once is not echoed.
    stdin.setRawMode(true);
    stdin.resume();
    process.stderr.write(question);
    const done = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(answer);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(Object.assign(new Error('interrupted'), { code: 'SIGINT' })); // Ctrl-C
        if (ch === '\u0004') {
          if (answer === '') return done(new Error('no password given (end of input)'));
          return done();
        }
        if (ch === '\u007f' || ch === '\b') answer = [...answer].slice(0, -1).join('');
        else if (ch === '\u0015') answer = ''; // Ctrl-U
        else if (ch >= ' ') answer += ch;
      }
    };
    stdin.on('data', onData);
  });
}
