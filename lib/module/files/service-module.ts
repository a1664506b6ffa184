import { defineModule, ModuleError, reads, shellQuote, type ModuleDefinition } from '../kit.js';

export interface ServiceArgs {
  name?: string;
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded';
  enabled?: boolean;
  daemon_reload?: boolean;
  daemon_reexec?: boolean;
  masked?: boolean;
  scope?: 'system' | 'user' | 'global';
}

export interface ServiceState {
  /** Shell command lines, run in order. */
  steps: string[];
}

const unitOf = (n: string) => (/\.[a-z]+$/.test(n) ? n : `${n}.service`);

const PROPS = ['LoadState', 'ActiveState', 'SubState', 'UnitFileState'];

/**
 * systemctl for the scope: the user's manager (with XDG_RUNTIME_DIR set as
 * Ansible sets it when the environment has none), every user's, or the system's.
 */
function systemctl(scope: ServiceArgs['scope']): string {
  if (scope === 'user') return 'XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/run/user/$(id -u)}" systemctl --user';
  if (scope === 'global') return 'systemctl --global';
  return 'systemctl';
}

/** The unit's properties, in the scope's manager (`systemctl show`, as reads.systemd). */
function statusRead(unit: string, scope: ServiceArgs['scope']) {
  if (!scope || scope === 'system') return reads.systemd(unit, PROPS);
  return reads.command(`${systemctl(scope)} show --no-pager -p ${PROPS.join(',')} -- ${shellQuote(unit)}`, (r) => {
    if (r.rc !== 0) throw new ModuleError(`${systemctl(scope)} show ${unit} failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim()}`);
    const out: Record<string, string> = {};
    for (const line of r.stdout.split('\n')) {
      const i = line.indexOf('=');
      if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
    }
    return out;
  });
}

/** systemd and service share one implementation; service accepts the subset Ansible's service has on systemd hosts. */
export function serviceModule(name: 'systemd' | 'service'): ModuleDefinition<ServiceArgs, ServiceState> {
  return defineModule<ServiceArgs, ServiceState>({
    name,
    description: `Ansible's ${name} on systemd hosts: starts, stops, restarts or reloads a unit, enables or disables it${name === 'systemd' ? ', masks or unmasks it, and runs daemon-reload or daemon-reexec, in the system\'s manager or a user\'s (scope)' : ''}. started/stopped/enabled change only what differs; restarted and reloaded always act.`,
    examples: [`- ${name}:\n    name: etcd\n    state: restarted`, `- ${name}:\n    name: atomic-openshift-node\n    state: stopped\n    enabled: false`],
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, description: 'The unit (`etcd` means `etcd.service`).' },
        state: { enum: ['started', 'stopped', 'restarted', 'reloaded'], description: 'started/stopped change only what differs; restarted and reloaded always act.' },
        enabled: { type: 'boolean', description: 'Whether the unit starts at boot.' },
        ...(name === 'systemd'
          ? {
              daemon_reload: { type: 'boolean', default: false, description: 'Run systemctl daemon-reload first. tsplay reports it as a change.' },
              daemon_reexec: { type: 'boolean', default: false, description: 'Run systemctl daemon-reexec first (after daemon_reload). tsplay reports it as a change.' },
              masked: { type: 'boolean', description: 'Mask the unit (it cannot be started at all) or unmask it; works on a unit not installed yet.' },
              scope: { enum: ['system', 'user', 'global'], default: 'system', description: "Which manager: the system's, the login (or become) user's (`systemctl --user`), or every user's (`--global`, enable and mask only)." },
            }
          : {}),
      },
    },
    reads: (args) => (args.name ? [statusRead(unitOf(args.name), args.scope)] : []),
    async plan(args, ctx) {
      if (!args.name && !args.daemon_reload && !args.daemon_reexec) throw new ModuleError('give name (with state, enabled and/or masked), or daemon_reload or daemon_reexec');
      if (args.name && args.state === undefined && args.enabled === undefined && args.masked === undefined && !args.daemon_reload && !args.daemon_reexec) {
        throw new ModuleError(`give state and/or enabled${name === 'systemd' ? ' (or masked)' : ''} for the unit`);
      }
      const sc = systemctl(args.scope);
      if (args.scope === 'global' && args.state !== undefined) throw new ModuleError("scope: global enables, disables, masks and unmasks only: there is no global manager to start or stop a unit (state)");
      const steps: string[] = [];
      if (args.daemon_reload) steps.push(`${sc} daemon-reload`);
      if (args.daemon_reexec) steps.push(`${sc} daemon-reexec`);
      const result: Record<string, unknown> = {};
      if (args.name) {
        const unit = unitOf(args.name);
        const q = shellQuote(unit);
        const status = await ctx.host.get(statusRead(unit, args.scope));
        const onlyMask = args.masked !== undefined && args.state === undefined && args.enabled === undefined;
        // A unit can be masked before it is installed; anything else needs the unit.
        if (status.LoadState === 'not-found' && !onlyMask) throw new ModuleError(`Could not find the requested service ${args.name}: host`);
        const active = status.ActiveState === 'active' || status.ActiveState === 'activating' || status.ActiveState === 'reloading';
        if (args.masked !== undefined) {
          const isMasked = status.UnitFileState === 'masked' || status.LoadState === 'masked';
          if (isMasked !== args.masked) steps.push(`${sc} ${args.masked ? 'mask' : 'unmask'} -- ${q}`);
        }
        if (args.enabled !== undefined) {
          const isEnabled = status.UnitFileState === 'enabled' || status.UnitFileState === 'enabled-runtime';
          if (isEnabled !== args.enabled) steps.push(`${sc} ${args.enabled ? 'enable' : 'disable'} -- ${q}`);
          result.enabled = args.enabled;
        }
        if (args.state === 'started' && !active) steps.push(`${sc} start -- ${q}`);
        if (args.state === 'stopped' && active) steps.push(`${sc} stop -- ${q}`);
        if (args.state === 'restarted') steps.push(`${sc} restart -- ${q}`);
        if (args.state === 'reloaded') steps.push(`${sc} ${active ? 'reload' : 'start'} -- ${q}`);
        result.name = args.name;
        if (args.state) result.state = args.state === 'stopped' ? 'stopped' : 'started';
        result.status = status;
      }
      return { changed: steps.length > 0, result, state: { steps }, msg: steps.join('; ') || undefined };
    },
    async apply(_args, ctx, plan) {
      for (const s of plan.state!.steps) {
        const r = await ctx.host.run(s, { allowFailure: true });
        if (r.rc !== 0) throw new ModuleError(`${s} failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim()}`, { result: { rc: r.rc } });
      }
      return { changed: true, result: plan.result };
    },
  });
}

