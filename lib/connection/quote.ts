/** POSIX shell single-quoting: safe for any string, including quotes, $() and newlines. */
export function shellQuote(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_\/.,:=@%+-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A command with its environment and working directory set inside the shell
 * that runs it, so they survive sudo's env_reset and sshd refusing env
 * requests. The command stays on its own lines, parsed exactly as given.
 */
export function withEnvAndCwd(command: string, env?: Record<string, string>, cwd?: string): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid environment variable name '${name}'`);
    lines.push(`export ${name}=${shellQuote(value)};`);
  }
  if (cwd !== undefined) lines.push(`cd -- ${shellQuote(cwd)} || exit 1;`);
  return lines.length ? `${lines.join(' ')}\n${command}` : command;
}
