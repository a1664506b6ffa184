/**
 * Python's time.strptime for the directives a date-and-time format uses
 * (%Y %y %m %d %H %I %M %S %p %b %B %j %f %%), with its patterns, so the file
 * module reads `modification_time` as Ansible's does. It gives the wall-clock
 * fields only: the host turns them into a time, in its own time zone, as
 * Ansible's time.mktime does there.
 */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

// Python's _strptime.TimeRE patterns.
const DIRECTIVES: Record<string, string> = {
  Y: '(\\d\\d\\d\\d)',
  y: '(\\d\\d)',
  m: '(1[0-2]|0[1-9]|[1-9])',
  d: '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  H: '(2[0-3]|[0-1]\\d|\\d)',
  I: '(1[0-2]|0[1-9]|[1-9])',
  M: '([0-5]\\d|\\d)',
  S: '(6[0-1]|[0-5]\\d|\\d)',
  j: '(36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])',
  f: '([0-9]{1,6})',
  p: '(am|pm)',
  b: `(${MONTHS.map((m) => m.slice(0, 3)).join('|')})`,
  B: `(${MONTHS.join('|')})`,
};

/** The fields of `text` read with `format`; throws Python's ValueError text when it does not match. */
export function pyStrptime(text: string, format: string): WallClock {
  const kinds: string[] = [];
  let source = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === '%' && i + 1 < format.length) {
      const d = format[++i];
      if (d === '%') source += '%';
      else if (d in DIRECTIVES) {
        kinds.push(d);
        source += DIRECTIVES[d];
      } else throw new Error(`'${d}' is a bad directive in format '%${d}'`);
    } else if (/\s/.test(c)) {
      source += '\\s+';
      while (i + 1 < format.length && /\s/.test(format[i + 1])) i++;
    } else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const m = new RegExp(`^${source}`, 'i').exec(text);
  if (!m) throw new Error(`time data '${text}' does not match format '${format}'`);
  if (m[0].length !== text.length) throw new Error(`unconverted data remains: ${text.slice(m[0].length)}`);
  const out: WallClock = { year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  let hour12: number | undefined;
  let pm: boolean | undefined;
  let yearDay: number | undefined;
  kinds.forEach((k, n) => {
    const v = m[n + 1];
    switch (k) {
      case 'Y': out.year = Number(v); break;
      // Python's rule: 69-99 are 1969-1999, 00-68 are 2000-2068.
      case 'y': out.year = Number(v) + (Number(v) <= 68 ? 2000 : 1900); break;
      case 'm': out.month = Number(v); break;
      case 'd': out.day = Number(v); break;
      case 'H': out.hour = Number(v); break;
      case 'I': hour12 = Number(v); break;
      case 'M': out.minute = Number(v); break;
      case 'S': out.second = Number(v); break;
      case 'j': yearDay = Number(v); break;
      case 'p': pm = v.toLowerCase() === 'pm'; break;
      case 'b': out.month = MONTHS.findIndex((x) => x.startsWith(v.toLowerCase())) + 1; break;
      case 'B': out.month = MONTHS.indexOf(v.toLowerCase()) + 1; break;
    }
  });
  if (hour12 !== undefined) out.hour = (hour12 % 12) + (pm ? 12 : 0);
  if (yearDay !== undefined && !kinds.includes('m') && !kinds.includes('d')) {
    const d = new Date(Date.UTC(out.year, 0, yearDay));
    out.month = d.getUTCMonth() + 1;
    out.day = d.getUTCDate();
  }
  const days = new Date(Date.UTC(out.year, out.month, 0)).getUTCDate();
  if (out.day > days) throw new Error('day is out of range for month');
  return out;
}

/**
 * A shell expression for the time in seconds since the epoch: the host's
 * `date` reads the wall clock in the host's time zone, as mktime does there;
 * the seconds are added after, so 60 and 61 run into the next minute as
 * mktime has them.
 */
export function hostEpochExpression(w: WallClock): string {
  const p = (n: number, width = 2) => String(n).padStart(width, '0');
  return `$(( $(date -d '${p(w.year, 4)}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}:00' +%s) + ${w.second} ))`;
}
