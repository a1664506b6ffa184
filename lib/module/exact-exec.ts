/**
 * Runs exactly the program named by the first word, with the other words as
 * its arguments, as Ansible's `command` does with execve: no shell builtins
 * (`eval`, `set`), no assignments (`PATH=/x ls`), no globbing, no operators.
 *
 * A connection only offers "run this shell line" (SSH has no exec without a
 * shell), so the line built here is a small fixed launcher in which every
 * word is single-quoted data. It builds the argument list with `set --`,
 * applies Ansible's `expandvars`/`expanduser` to the words on the target
 * (its environment, its users), looks the program up in PATH itself, and
 * then `exec`s it. `exec` never runs a builtin or a function, and the
 * lookup before it lets a missing program be reported as Ansible reports
 * it: `[Errno 2] No such file or directory: b'eval'`, rc 2.
 */

/** Written to stderr by the launcher when the program cannot be executed; the rest of the line is the errno. */
const MARK = '__tsplay_exec_error__';

/** Single-quotes a word for sh, always (an unquoted `a=b` word would read as an assignment). */
function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const SH_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const USER_NAME = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;

/**
 * The sh statements that append one word to `w`: literal text quoted,
 * `$NAME`/`${NAME}` replaced by the variable when it is set and kept as
 * written when it is not (Python's os.path.expandvars), and a leading `~` or
 * `~user` replaced by that home directory when it exists (os.path.expanduser).
 */
function wordBuilder(word: string): string {
  const parts: string[] = ["w=''"];
  let rest = word;
  const tilde = /^~([^/]*)/.exec(rest);
  if (tilde && (tilde[1] === '' || USER_NAME.test(tilde[1]))) {
    // An assignment's value gets tilde expansion; the user name is checked above, so nothing else is expanded.
    parts.push(`h=~${tilde[1]}`, 'w="$h"');
    rest = rest.slice(tilde[0].length);
  }
  const re = /\$(\w+|\{[^}]*\})/g;
  let last = 0;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    if (m.index > last) parts.push(`w="$w"${q(rest.slice(last, m.index))}`);
    const name = m[1].startsWith('{') ? m[1].slice(1, -1) : m[1];
    if (SH_NAME.test(name)) parts.push(`if [ -n "\${${name}+x}" ]; then w="$w\${${name}}"; else w="$w"${q(m[0])}; fi`);
    else parts.push(`w="$w"${q(m[0])}`);
    last = m.index + m[0].length;
  }
  if (last < rest.length) parts.push(`w="$w"${q(rest.slice(last))}`);
  parts.push('set -- "$@" "$w"');
  return parts.join('; ');
}

/**
 * The PATH search and the exec. A name with a slash is run as it is; any
 * other is looked for in PATH (an empty entry is the current directory).
 * `exec "$@"` repeats the same search, so argv[0] stays the word the user wrote.
 */
const LAUNCH = [
  'c=$1',
  'case $c in',
  `  */*) if [ ! -e "$c" ]; then echo ${MARK}2 >&2; exit 127; fi; if [ -d "$c" ] || [ ! -x "$c" ]; then echo ${MARK}13 >&2; exit 126; fi ;;`,
  `  '') echo ${MARK}2 >&2; exit 127 ;;`,
  '  *) f=; set -f; o=$IFS; IFS=:; for d in ${PATH-/usr/local/bin:/usr/bin:/bin}; do',
  '       [ -n "$d" ] || d=.',
  '       if [ -f "$d/$c" ] && [ -x "$d/$c" ]; then f=1; break; fi',
  '     done; IFS=$o; set +f',
  `     if [ -z "$f" ]; then echo ${MARK}2 >&2; exit 127; fi ;;`,
  'esac',
  'exec "$@"',
].join('\n');

/**
 * `chdir` done by the launcher, so a directory that cannot be entered is
 * reported as Ansible reports it (errno 2 missing, 20 not a directory, 13 otherwise).
 */
function chdirLine(dir: string): string {
  const d = q(dir);
  return `if ! cd -- ${d} 2>/dev/null; then if [ ! -e ${d} ]; then echo ${MARK}cd2; elif [ ! -d ${d} ]; then echo ${MARK}cd20; else echo ${MARK}cd13; fi >&2; exit 127; fi`;
}

/** The shell line that runs exactly `argv`, in `chdir` when given. */
export function exactExecLine(argv: readonly string[], chdir?: string): string {
  return [...(chdir !== undefined ? [chdirLine(chdir)] : []), 'set --', ...argv.map(wordBuilder), LAUNCH].join('\n');
}

export interface ExecFailure {
  errno: number;
  /** The directory could not be entered (chdir), rather than the program run. */
  chdir: boolean;
}

/** When the launcher could not enter the directory or execute the program, and why. */
export function execFailure(stderr: string): number | undefined {
  return launchFailure(stderr)?.errno;
}

export function launchFailure(stderr: string): ExecFailure | undefined {
  const m = new RegExp(`^${MARK}(cd)?(\\d+)\\n?$`).exec(stderr);
  return m ? { errno: Number(m[2]), chdir: m[1] === 'cd' } : undefined;
}

const STRERROR: Record<number, string> = { 2: 'No such file or directory', 13: 'Permission denied', 20: 'Not a directory' };

/** Ansible's result when the directory of `chdir` cannot be entered: nothing ran, so no rc and no times. */
export function chdirFailureResult(errno: number, argv: readonly string[], dir: string): Record<string, unknown> {
  return {
    cmd: [...argv],
    rc: null,
    start: null,
    end: null,
    delta: null,
    stdout: '',
    stderr: '',
    stdout_lines: [],
    stderr_lines: [],
    msg: `Unable to change directory before execution: [Errno ${errno}] ${STRERROR[errno] ?? 'Error'}: b${pyBytesRepr(dir)}`,
  };
}

/** Python's shlex.quote, which Ansible uses to show a command that could not run. */
export function pyShlexQuote(s: string): string {
  if (s === '') return "''";
  if (!/[^\w@%+=:,./-]/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

/** Ansible's result when the program cannot be executed (rc is the errno). */
export function execFailureResult(errno: number, argv: readonly string[]): Record<string, unknown> {
  const text = errno === 13 ? 'Permission denied' : 'No such file or directory';
  return {
    cmd: argv.map(pyShlexQuote).join(' '),
    rc: errno,
    stdout: '',
    stderr: '',
    stdout_lines: [],
    stderr_lines: [],
    msg: `[Errno ${errno}] ${text}: b${pyBytesRepr(argv[0] ?? '')}`,
  };
}

function pyBytesRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (c === '\\' || c === quote) out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (b < 32 || b >= 127) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return quote + out + quote;
}
