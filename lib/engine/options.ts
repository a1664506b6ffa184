/** What a run is asked to do: the CLI's flags, or a library caller's options. */
import type { ConnectionFactory, ConnectionOptions } from '../connection/factory.js';
import type { Reporter } from '../output/events.js';

export interface RunOptions {
  /** Playbook file(s), run in order. */
  playbooks: string[];
  /** Inventory sources (files, directories, or `a,b,` host lists). Empty: the implicit localhost only. */
  inventory: string[];
  /** -e values, already parsed: later ones win. */
  extraVars?: Record<string, unknown>;
  check?: boolean;
  diff?: boolean;
  /** --limit: a host pattern intersected with every play's hosts. */
  limit?: string;
  tags?: string[];
  skipTags?: string[];
  /** Hosts worked on at once (default 20: tasks wait on the network, not on the CPU). */
  forks?: number;
  verbosity?: number;
  /** Receives every event of the run. */
  reporters?: Reporter[];
  connection?: ConnectionOptions;
  /** Replaces how connections are made (tests of error paths). */
  connectionFactory?: ConnectionFactory;
  /** Force become for every play, as -b does. */
  become?: boolean;
  becomeUser?: string;
  becomeMethod?: 'sudo' | 'su';
  /** -u: the remote user when the inventory names none. */
  remoteUser?: string;
  /** -c: the connection type when the inventory names none. */
  connectionType?: string;
  /** Aborts the run (Ctrl-C): connections close, exit code 99. */
  signal?: AbortSignal;
}
