/**
 * `tsplay run … | head -1`: once the reader of stdout (or stderr) has gone,
 * writing to it fails with EPIPE. Output then stops quietly, as with
 * ansible-playbook: the run itself goes on to its end (stopping half-way
 * through a change because a pager closed would leave hosts half-changed)
 * and the exit code is the run's.
 */
import type { Writable } from 'node:stream';

const closed = new WeakSet<Writable>();

function guard(stream: Writable): void {
  if ((stream as Writable & { _tsplayGuarded?: boolean })._tsplayGuarded) return;
  (stream as Writable & { _tsplayGuarded?: boolean })._tsplayGuarded = true;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    // EPIPE and writes after it: the reader is gone. Anything else is a real fault.
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED' || closed.has(stream)) {
      closed.add(stream);
      return;
    }
    throw e;
  });
}

/** A writer for `stream` that drops output once its reader has gone, instead of dying with an EPIPE stack trace. */
export function quietWriter(stream: Writable): (s: string) => void {
  guard(stream);
  return (s) => {
    if (closed.has(stream) || stream.destroyed) return;
    stream.write(s);
  };
}
