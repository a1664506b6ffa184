import { defineModule, ModuleError, reads, shellQuote, type PlanContext } from '../lib/module/kit.js';
import { SBIN_PATH } from '../lib/module/system/accounts.js';

interface Args {
  name?: string;
}

/** How the zone is set: systemd's timedated, or (no usable timedatectl) /etc/timezone and the /etc/localtime link. */
type Method = { kind: 'systemd'; timedatectl: string } | { kind: 'file'; timezoneFile: string };

/** What plan() found that apply() needs: the method, and for the file method the new /etc/timezone (when its text changes). */
interface State {
  method: Method;
  text?: string;
  create?: boolean;
  deleted?: number;
}

interface Look {
  /** /usr/share/zoneinfo/NAME is a file. */
  known: boolean;
  method: Method;
  /** The zone as Ansible reads it with that method ('n/a' when it cannot tell). */
  current: string;
  /** Why timedatectl is there but not usable (Ansible warns with it). */
  unusable?: string;
}

const ZONEINFO = '/usr/share/zoneinfo/';

/**
 * One read-only script: whether the zone exists, which method applies (as
 * Ansible picks it: timedatectl when it runs, else the files), and what each
 * method says the zone is now. Lines are tagged so output cannot mix them up.
 */
function look(name: string) {
  const n = shellQuote(name);
  const script = [
    SBIN_PATH,
    `if [ -f ${shellQuote(ZONEINFO)}${n} ]; then echo 'K 1'; else echo 'K 0'; fi`,
    'if t=$(command -v timedatectl); then',
    '  if out=$(timedatectl 2>&1); then',
    '    echo "M $t"',
    `    printf '%s\\n' "$out" | sed -n 's/^[[:space:]]*Time \\{0,1\\}zone[[:space:]]*:[[:space:]]*\\([^[:space:]]*\\).*/Z \\1/p' | head -n 1`,
    '  else echo "U $(printf \'%s\' "$out" | tr \'\\n\' \' \')"; fi',
    'fi',
    // The file method's view: /etc/timezone's first word, and where /etc/localtime points.
    `if [ -r /etc/timezone ]; then echo "T $(grep -m 1 -o '^[^[:space:]]\\+' /etc/timezone)"; elif [ -e /etc/timezone ]; then echo 'R'; else echo 'T n/a'; fi`,
    'if [ -L /etc/localtime ]; then if [ -e /etc/localtime ]; then echo "L $(readlink /etc/localtime)"; else echo "B"; fi',
    `elif cmp -s /etc/localtime ${shellQuote(ZONEINFO)}${n}; then echo 'S'; else echo 'D'; fi`,
  ].join('\n');
  return reads.command(script, (r): Look => {
    const lines = r.stdout.split('\n');
    const tag = (t: string) => lines.find((l) => l === t || l.startsWith(`${t} `))?.slice(t.length + 1);
    const known = tag('K') === '1';
    const timedatectl = tag('M');
    if (timedatectl !== undefined) return { known, method: { kind: 'systemd', timedatectl }, current: tag('Z') || 'n/a' };
    if (tag('R') !== undefined) throw new ModuleError('Error message:\ntried to configure name using a file "/etc/timezone", but could not read it');
    // Ansible's NosystemdTimezone: /etc/timezone decides, unless it already names the zone; then /etc/localtime has the last word.
    let current = tag('T') || 'n/a';
    if (current === name) {
      const link = tag('L');
      if (link !== undefined) {
        const m = /\/usr\/share\/zoneinfo\/(.*)/.exec(link);
        current = m ? m[1] : 'n/a';
      } else if (tag('B') !== undefined || tag('D') !== undefined) current = 'n/a';
    }
    const unusable = tag('U');
    return { known, method: { kind: 'file', timezoneFile: '/etc/timezone' }, current, ...(unusable === undefined ? {} : { unusable: unusable.trim() }) };
  });
}

/** Ansible's diff of the values before and after, and how --diff shows it (the dicts as JSON, as Ansible's callback does). */
function diffOf(before: string, after: string) {
  const json = (v: string) => `${JSON.stringify({ name: v }, null, 4)}\n`;
  return { result: { before: { name: before }, after: { name: after } }, shown: { label: 'timezone', before: json(before), after: json(after) } };
}

/** /etc/timezone with the zone on the first line that starts with a word, and every other such line gone, as Ansible edits it. */
function timezoneFile(content: string | undefined, name: string): { text: string; deleted: number } {
  const lines = content ? content.split(/(?<=\n)/) : [];
  const matched = lines.map((l, i) => (/^[^\s]/.test(l) ? i : -1)).filter((i) => i >= 0);
  const kept = lines.filter((_, i) => !matched.includes(i));
  kept.splice(matched.length ? matched[0] : 0, 0, `${name}\n`);
  return { text: kept.join(''), deleted: matched.length };
}

async function current(name: string, ctx: PlanContext): Promise<Look> {
  return ctx.host.get(look(name));
}

export default defineModule<Args, State>({
  name: 'timezone',
  description:
    "community.general's timezone (also `community.general.timezone`): sets the host's time zone, with `timedatectl set-timezone` where timedatectl works (systemd's timedated), else as Ansible's NosystemdTimezone does on Debian: the zone's name in /etc/timezone and /etc/localtime a link to its zoneinfo file. Only when the zone differs. Result `diff` holds the zone before and after; check mode predicts it.",
  examples: ['- timezone:\n    name: Europe/Paris', '- community.general.timezone:\n    name: Etc/UTC'],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, description: 'The zone, a name under /usr/share/zoneinfo (`Europe/Paris`, `Etc/UTC`).' },
    },
  },
  reads: (args) => (args.name ? [look(args.name)] : []),
  async plan(args, ctx) {
    if (!args.name) throw new ModuleError('one of the following is required: name, hwclock');
    const name = args.name;
    const now = await current(name, ctx);
    if (!now.known) throw new ModuleError(`Error message:\ngiven timezone "${name}" is not available`);
    // After the zone's check (Ansible warns before it): a zone no host has fails the same everywhere.
    if (now.unusable !== undefined) ctx.warn(`timedatectl command was found but not usable: ${now.unusable}. using other method.`);
    const changed = now.current !== name;
    const d = diffOf(now.current, name);
    if (!changed) return { changed, result: { diff: d.result } };
    if (now.method.kind === 'systemd') return { changed, result: { diff: d.result }, diff: [d.shown], state: { method: now.method } };
    // The file method writes /etc/timezone when its text changes: the diff names it, so the engine holds apply() to it.
    const file = await ctx.host.read(now.method.timezoneFile);
    const before = file.exists ? (file.text ?? '') : undefined;
    const edit = timezoneFile(before, name);
    const writes = edit.text !== before;
    return {
      changed,
      result: { diff: d.result },
      diff: [{ ...d.shown, ...(writes ? { path: now.method.timezoneFile } : {}) }],
      state: { method: now.method, ...(writes ? { text: edit.text, create: before === undefined } : {}), deleted: edit.deleted },
    };
  },
  async apply(args, ctx, plan) {
    const name = args.name as string;
    const { method, text, create, deleted } = plan.state as State;
    const before = (plan.result!.diff as { before: { name: string } }).before.name;
    let msg: string;
    if (method.kind === 'systemd') {
      const r = await ctx.host.run(`${shellQuote(method.timedatectl)} set-timezone ${shellQuote(name)}`, { allowFailure: true });
      if (r.rc !== 0) throw new ModuleError(r.stderr.trim() || r.stdout.trim() || `timedatectl set-timezone exited ${r.rc}`, { result: { rc: r.rc, stdout: r.stdout, stderr: r.stderr } });
      msg = `executed \`${method.timedatectl} set-timezone ${name}\``;
    } else {
      if (text !== undefined) await ctx.host.write(method.timezoneFile, text, create ? { mode: 0o644 } : {});
      // A new link beside the old one, renamed over it: /etc/localtime is never missing.
      const tmp = `/etc/.localtime.tsplay-${process.pid}`;
      const r = await ctx.host.run(`ln -sfn ${shellQuote(ZONEINFO + name)} ${tmp} && mv -Tf ${tmp} /etc/localtime`, { allowFailure: true });
      if (r.rc !== 0) throw new ModuleError(`could not link /etc/localtime to ${ZONEINFO}${name}: ${r.stderr.trim()}`);
      msg = `Added 1 line and deleted ${deleted ?? 0} line(s) on ${method.timezoneFile}`;
    }
    const now = await current(name, ctx);
    if (now.current !== name) {
      throw new ModuleError(`Error message:\nstill not desired state, though changes have made - planned: {'name': '${name}'}, after: {'name': '${now.current}'}\nOther message(s):\n${msg}`);
    }
    return { changed: true, msg, result: { diff: diffOf(before, name).result, msg } };
  },
});
