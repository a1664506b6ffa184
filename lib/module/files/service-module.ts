import { defineModule, ModuleError, reads, type ModuleDefinition } from '../kit.js';

export interface ServiceArgs {
  name?: string;
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded';
  enabled?: boolean;
  daemon_reload?: boolean;
}

export interface ServiceState {
  steps: string[][];
}

const unitOf = (n: string) => (/\.[a-z]+$/.test(n) ? n : `${n}.service`);

/** systemd and service share one implementation; service accepts the subset Ansible's service has on systemd hosts. */
export function serviceModule(name: 'systemd' | 'service'): ModuleDefinition<ServiceArgs, ServiceState> {
  return defineModule<ServiceArgs, ServiceState>({
    name,
    description: `Ansible's ${name} on systemd hosts: starts, stops, restarts or reloads a unit, enables or disables it${name === 'systemd' ? ', and runs daemon-reload' : ''}. started/stopped/enabled change only what differs; restarted and reloaded always act.`,
    examples: [`- ${name}:\n    name: etcd\n    state: restarted`, `- ${name}:\n    name: atomic-openshift-node\n    state: stopped\n    enabled: false`],
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, description: 'The unit (`etcd` means `etcd.service`).' },
        state: { enum: ['started', 'stopped', 'restarted', 'reloaded'], description: 'started/stopped change only what differs; restarted and reloaded always act.' },
        enabled: { type: 'boolean', description: 'Whether the unit starts at boot.' },
        ...(name === 'systemd' ? { daemon_reload: { type: 'boolean', default: false, description: 'Run systemctl daemon-reload first. tsplay reports it as a change.' } } : {}),
      },
    },
    reads: (args) => (args.name ? [reads.systemd(unitOf(args.name), ['LoadState', 'ActiveState', 'SubState', 'UnitFileState'])] : []),
    async plan(args, ctx) {
      if (!args.name && !args.daemon_reload) throw new ModuleError('give name (with state and/or enabled), or daemon_reload');
      if (args.name && args.state === undefined && args.enabled === undefined && !args.daemon_reload) throw new ModuleError('give state and/or enabled for the unit');
      const steps: string[][] = [];
      if (args.daemon_reload) steps.push(['systemctl', 'daemon-reload']);
      const result: Record<string, unknown> = {};
      if (args.name) {
        const unit = unitOf(args.name);
        const status = await ctx.host.get(reads.systemd(unit, ['LoadState', 'ActiveState', 'SubState', 'UnitFileState']));
        if (status.LoadState === 'not-found') throw new ModuleError(`Could not find the requested service ${args.name}: host`);
        const active = status.ActiveState === 'active' || status.ActiveState === 'activating' || status.ActiveState === 'reloading';
        if (args.enabled !== undefined) {
          const isEnabled = status.UnitFileState === 'enabled' || status.UnitFileState === 'enabled-runtime';
          if (isEnabled !== args.enabled) steps.push(['systemctl', args.enabled ? 'enable' : 'disable', '--', unit]);
          result.enabled = args.enabled;
        }
        if (args.state === 'started' && !active) steps.push(['systemctl', 'start', '--', unit]);
        if (args.state === 'stopped' && active) steps.push(['systemctl', 'stop', '--', unit]);
        if (args.state === 'restarted') steps.push(['systemctl', 'restart', '--', unit]);
        if (args.state === 'reloaded') steps.push(['systemctl', active ? 'reload' : 'start', '--', unit]);
        result.name = args.name;
        if (args.state) result.state = args.state === 'stopped' ? 'stopped' : 'started';
        result.status = status;
      }
      return { changed: steps.length > 0, result, state: { steps }, msg: steps.map((s) => s.join(' ')).join('; ') || undefined };
    },
    async apply(_args, ctx, plan) {
      for (const s of plan.state!.steps) {
        const r = await ctx.host.run(s, { allowFailure: true });
        if (r.rc !== 0) throw new ModuleError(`${s.join(' ')} failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim()}`, { result: { rc: r.rc } });
      }
      return { changed: true, result: plan.result };
    },
  });
}

