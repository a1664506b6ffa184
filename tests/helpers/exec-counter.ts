/**
 * A connectionFactory for runPlaybook that counts every exec (one round trip
 * to the host each) and keeps the commands, for tests that assert how many
 * round trips a task takes.
 */
import { createConnection } from '../../lib/connection/factory.js';
import type { Connection, ExecOptions } from '../../lib/connection/types.js';

export function countingConnections(): { factory: typeof createConnection; execs: () => number; commands: string[]; reset: () => void } {
  let execs = 0;
  const commands: string[] = [];
  const factory: typeof createConnection = (h, v, o) => {
    const c = createConnection(h, v, o);
    const exec = c.exec.bind(c);
    (c as Connection).exec = (cmd: string, opts?: ExecOptions) => {
      execs++;
      commands.push(cmd);
      return exec(cmd, opts);
    };
    return c;
  };
  return { factory, execs: () => execs, commands, reset: () => void (execs = 0) };
}
