import { quietWriter } from './closed-output.js';

/** Where the CLI writes: the process's stdout and stderr, or a test's buffers. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
}

export const processIo: Io = {
  // A closed stdout (`| head`) stops the output quietly; the run goes on to its own exit code.
  out: quietWriter(process.stdout),
  err: quietWriter(process.stderr),
  isTTY: !!process.stdout.isTTY,
};
