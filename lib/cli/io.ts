import { quietWriter } from './closed-output.js';
import { visibleText } from '../output/visible-text.js';

/** Where the CLI writes: the process's stdout and stderr, or a test's buffers. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
}

export const processIo: Io = {
  // A closed stdout (`| head`) stops the output quietly; the run goes on to its own exit code.
  out: quietWriter(process.stdout),
  // Everything on stderr is for a person (errors, warnings): host data in it never steers the terminal.
  err: ((write) => (s: string) => write(visibleText(s)))(quietWriter(process.stderr)),
  isTTY: !!process.stdout.isTTY,
};
