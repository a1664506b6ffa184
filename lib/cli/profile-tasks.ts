/**
 * callbacks_enabled = profile_tasks: ansible.posix's profile_tasks output.
 * After each task banner, the time, the previous task's length and the
 * run's; after the recap, the tasks sorted by how long they took (the 20
 * longest), as that callback prints them on an 80-column terminal.
 */
import type { Reporter } from '../output/events.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const COLUMNS = 79;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** strftime('%A %d %B %Y  %H:%M:%S %z') in local time. */
function stamp(d: Date): string {
  const off = -d.getTimezoneOffset();
  const zone = `${off >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}${pad(Math.abs(off) % 60)}`;
  return `${DAYS[d.getDay()]} ${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()}  ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone}`;
}

/** h:mm:ss.mmm */
function duration(ms: number): string {
  const t = Math.max(0, Math.round(ms));
  return `${Math.floor(t / 3_600_000)}:${pad(Math.floor(t / 60_000) % 60)}:${pad(Math.floor(t / 1000) % 60)}.${pad(t % 1000, 3)}`;
}

function filled(msg: string, fill = '*'): string {
  const text = msg ? `${msg} ` : '';
  return `${text}${fill.repeat(Math.max(3, COLUMNS - text.length))} `;
}

export function profileTasks(write: (s: string) => void, now: () => number = Date.now): Reporter {
  const begun = now();
  let last = begun;
  const tasks: { name: string; elapsed: number }[] = [];
  let current: { name: string; elapsed: number; started: number } | undefined;
  const line = () => {
    const t = now();
    const text = filled(`${stamp(new Date(t))} (${duration(t - last)})${' '.repeat(7)}${duration(t - begun)}`);
    last = t;
    return text;
  };
  const stop = () => {
    if (current) current.elapsed += now() - current.started;
    current = undefined;
  };
  return (e) => {
    if (e.type === 'task_start') {
      stop();
      current = { name: e.name, elapsed: 0, started: now() };
      tasks.push(current);
      write(line() + '\n');
    } else if (e.type === 'recap') {
      write(line() + '\n');
      write(filled('', '=') + '\n');
      stop();
      const longest = [...tasks].sort((a, b) => b.elapsed - a.elapsed).slice(0, 20);
      for (const t of longest) write(`${`${t.name} `.padEnd(COLUMNS - 9, '-')}${` ${(t.elapsed / 1000).toFixed(2)}s`.padStart(9, '-')}\n`);
    }
  };
}
