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
 * Framing: a header line (a random end word, and `whole` when no input
 * follows), the script, then the end word on a line of its own. The end word
 * is random per call, so no line of a script can end it early. With input
 * following, the reader takes the script line by line: POSIX `read` takes a
 * pipe one byte at a time, so it never takes a byte of the command's input.
 * Without input (most commands) it takes the whole stream at once, which is
 * linear where bash's line-by-line concatenation is quadratic (a 140 kB
 * script: 4 s). A stream that ends before the end word runs nothing and
 * exits 97: half a script never runs.
 */
import { randomBytes } from 'node:crypto';

/** The fixed command line: plain POSIX sh, so it works in any login shell sshd starts. */
export const SCRIPT_READER =
  'read -r __tsplay_e __tsplay_m || exit 97; ' +
  'if [ "$__tsplay_m" = whole ]; then __tsplay_s=$(cat) || exit 97; ' +
  'case $__tsplay_s in *"\n$__tsplay_e") __tsplay_s=${__tsplay_s%"$__tsplay_e"} ;; *) exit 97 ;; esac; ' +
  'else __tsplay_s=; while IFS= read -r __tsplay_l || exit 97; [ "$__tsplay_l" != "$__tsplay_e" ]; do __tsplay_s="$__tsplay_s$__tsplay_l\n"; done; fi; ' +
  'eval "$__tsplay_s"';

/** The script framed for SCRIPT_READER; `whole` when nothing follows it on the stream. */
export function frameScript(script: string, whole = false): Buffer {
  const end = `__tsplay_end_${randomBytes(12).toString('hex')}`;
  return Buffer.from(`${end}${whole ? ' whole' : ''}\n${script}${script.endsWith('\n') ? '' : '\n'}${end}\n`);
}

/** What a transport sends: the fixed command line, and the framed script followed by the command's input. */
export function scriptOverStdin(script: string, stdin: Buffer): { line: string; stdin: Buffer } {
  if (!stdin.length) return { line: SCRIPT_READER, stdin: frameScript(script, true) };
  return { line: SCRIPT_READER, stdin: Buffer.concat([frameScript(script), stdin]) };
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
