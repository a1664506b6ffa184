/**
 * When each play (each serial batch of a play) of this run started and
 * ended, for a playbook that reports where its minutes went (the restore's
 * summary prints the time of each step). Exposed read-only as the variable
 * `tsplay_play_times` (docs/expressions.md); nothing is printed unless a
 * playbook uses it, so ordinary output stays Ansible's.
 */
export interface PlayTime {
  /** The play's rendered name, as its banner shows it. */
  name: string;
  /** The hosts of this batch (every host of the play without `serial`). */
  hosts: string[];
  /** Seconds since the epoch, to the millisecond. */
  started: number;
  /** null while the play runs (the play that reads the variable). */
  ended: number | null;
  /** ended - started, or null while the play runs. */
  seconds: number | null;
}

export class PlayTimes {
  /** Read by templates: the entries are replaced, never edited, once a play ends. */
  readonly list: PlayTime[] = [];

  constructor(private readonly clock: () => number = Date.now) {}

  /** A batch starts; returns the function that records its end. */
  start(name: string, hosts: string[]): () => void {
    const index = this.list.length;
    const started = this.clock() / 1000;
    this.list.push(Object.freeze({ name, hosts: [...hosts], started, ended: null, seconds: null }));
    return () => {
      const ended = this.clock() / 1000;
      this.list[index] = Object.freeze({ name, hosts: [...hosts], started, ended, seconds: Math.round((ended - started) * 1000) / 1000 });
    };
  }
}
