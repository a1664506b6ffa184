/**
 * Scripts reach the host's shell on standard input, never on a command line.
 *
 * Every user on a host can read every process's command line (`ps`,
 * /proc/PID/cmdline), and sudo logs it. So the command line of every command
 * tsplay runs is one fixed text, SCRIPT_READER, the same for every task: it
 * reads the real script (the task's environment, its directory, the command)
 * from standard input and runs it with `eval`, in the same shell. The
 * command's own standard input (a file's content, say) follows the script on
 * the same stream and is left untouched for the command to read.
 *
 * Framing: a random end line, the script, then the end line again. POSIX
 * `read` takes a pipe one byte at a time, so the reader never takes a byte
 * of the command's input; the end line is random per call, so no line of a
 * script can end it early. A stream that ends before the end line runs
 * nothing and exits 97: half a script never runs.
 */
import { randomBytes } from 'node:crypto';

/** The fixed command line: plain POSIX sh, so it works in any login shell sshd starts. */
export const SCRIPT_READER =
  'IFS= read -r __tsplay_e || exit 97; __tsplay_s=; ' +
  'while IFS= read -r __tsplay_l || exit 97; [ "$__tsplay_l" != "$__tsplay_e" ]; do __tsplay_s="$__tsplay_s$__tsplay_l\n"; done; ' +
  'eval "$__tsplay_s"';

/** The script framed for SCRIPT_READER, ready to go before the command's own input. */
export function frameScript(script: string): Buffer {
  const end = `__tsplay_end_${randomBytes(12).toString('hex')}`;
  return Buffer.from(`${end}\n${script}${script.endsWith('\n') ? '' : '\n'}${end}\n`);
}

/** What a transport sends: the fixed command line, and the framed script followed by the command's input. */
export function scriptOverStdin(script: string, stdin: Buffer): { line: string; stdin: Buffer } {
  const frame = frameScript(script);
  return { line: SCRIPT_READER, stdin: stdin.length ? Buffer.concat([frame, stdin]) : frame };
}

/**
 * A line of the (stdin-borne) script that runs `script` in another shell,
 * `executable -c`, as the shell module does, without the script on that
 * shell's command line: it comes on file descriptor 9 from a here-document
 * (part of the script tsplay sent on stdin), and the command's own stdin is
 * left alone. The here-document's end word is random, so no line of the
 * script ends it early. `executable` must know `eval` and `$(...)`: any
 * POSIX shell, bash, ksh, zsh.
 */
export function scriptInShell(executable: string, script: string, quote: (s: string) => string): string {
  const end = `__TSPLAY_SCRIPT_${randomBytes(12).toString('hex')}`;
  return `${quote(executable)} -c 'eval "$(cat <&9)" 9<&-' 9<<'${end}'\n${script}\n${end}`;
}
