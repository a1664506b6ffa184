/**
 * What the terminal UI draws for one frame; all state lives in the reporter.
 * Names, hosts, items and commands may come from hosts: each is drawn
 * through visibleText, one line each, so none can steer the terminal.
 */
import { Box, Static, Text } from 'ink';
import { visibleText } from '../visible-text.js';

const v = (s: string) => visibleText(s, { oneLine: true });

export interface PendingHost {
  host: string;
  since: number;
  /** The loop item the host last finished, while its loop goes on. */
  item?: string;
  /** "attempt/retries" while an until-loop retries. */
  retry?: string;
  /** "2/3": the loop items the host has finished. */
  loop?: string;
  /** The command the host is running (known when commands are traced). */
  command?: string;
}

export interface Chunk {
  text: string;
  /** Columns to lay it out in, so ink does not wrap it. */
  width: number;
}

export interface Frame {
  /** Finished output, in the plain reporter's layout, oldest first; only ever appended to. */
  chunks: Chunk[];
  play?: string;
  task?: { name: string; kind: 'task' | 'handler' | 'setup'; since: number; total: number };
  pending: PendingHost[];
  now: number;
  tick: number;
  finished: boolean;
  rows: number;
  color: boolean;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function seconds(now: number, since: number): string {
  return `${Math.floor(Math.max(0, now - since) / 1000)}s`;
}

function Live({ frame }: { frame: Frame }) {
  const { task, pending, now, tick, color } = frame;
  if (!task) return null;
  const spin = SPINNER[tick % SPINNER.length];
  const label = task.kind === 'handler' ? 'RUNNING HANDLER' : 'TASK';
  const progress = task.total ? ` · ${task.total - pending.length}/${task.total} hosts done` : '';
  // Taller than the terminal, ink redraws the whole screen each frame: keep the live part short.
  const room = Math.max(3, frame.rows - 4);
  const shown = pending.length > room ? pending.slice(0, room - 1) : pending;
  const c = (name: string) => (color ? name : undefined);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>
        <Text color={c('cyan')}>{spin}</Text> <Text bold>{`${label} [${v(task.name)}]`}</Text>
        <Text dimColor={color}>{`${frame.play !== undefined ? ` · PLAY [${v(frame.play)}]` : ''}${progress} · ${seconds(now, task.since)}`}</Text>
      </Text>
      {shown.map((p) => (
        <Text key={p.host}>
          {'  '}
          <Text color={c('cyan')}>{spin}</Text> {v(p.host)}{' '}
          <Text dimColor={color}>
            {seconds(now, p.since)}
            {p.item !== undefined ? ` · ${p.loop ? `item ${p.loop} done` : 'done'} item=${v(p.item)}` : ''}
            {p.retry ? ` · retry ${p.retry}` : ''}
            {p.command ? ` · $ ${v(p.command)}` : ''}
          </Text>
        </Text>
      ))}
      {shown.length < pending.length ? <Text dimColor={color}>{`  … and ${pending.length - shown.length} more hosts working`}</Text> : null}
    </Box>
  );
}

export function View({ frame }: { frame: Frame }) {
  return (
    <>
      <Static items={frame.chunks}>
        {(chunk, i) => (
          <Box key={i} width={chunk.width}>
            <Text>{chunk.text}</Text>
          </Box>
        )}
      </Static>
      {frame.finished ? null : <Live frame={frame} />}
    </>
  );
}
