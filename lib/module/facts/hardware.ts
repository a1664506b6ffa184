/**
 * The hardware subset: memory, processors, mounts and uptime, read from
 * /proc as ansible-core 2.14's LinuxHardware does
 * (module_utils/facts/hardware/linux.py).
 */
type Facts = Record<string, unknown>;

export function memoryFacts(meminfo: string | undefined): Facts {
  const kb: Record<string, number> = {};
  for (const line of (meminfo ?? '').split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
    if (m) kb[m[1]] = Number(m[2]);
  }
  if (kb.MemTotal === undefined) return {};
  const mb = (k: string) => Math.floor((kb[k] ?? 0) / 1024);
  const total = mb('MemTotal');
  const free = mb('MemFree');
  const nocacheFree = free + mb('Buffers') + mb('Cached');
  const swapTotal = mb('SwapTotal');
  const swapFree = mb('SwapFree');
  return {
    memtotal_mb: total,
    memfree_mb: free,
    swaptotal_mb: swapTotal,
    swapfree_mb: swapFree,
    memory_mb: {
      real: { total, used: total - free, free },
      nocache: { free: nocacheFree, used: total - nocacheFree },
      swap: { total: swapTotal, free: swapFree, used: swapTotal - swapFree, cached: mb('SwapCached') },
    },
  };
}

export function cpuFacts(cpuinfo: string | undefined, nproc: string | undefined, architecture: string): Facts {
  if (!cpuinfo?.trim()) return {};
  const processor: string[] = [];
  let i = 0;
  let vendorIds = 0;
  let modelNames = 0;
  let processors = 0;
  let physid = '0';
  let coreid = '0';
  const sockets = new Map<string, number>();
  const cores = new Map<string, number>();
  let explicitCores: number | undefined;
  for (const line of cpuinfo.split('\n')) {
    const at = line.indexOf(':');
    const key = (at < 0 ? line : line.slice(0, at)).trim();
    const val = at < 0 ? '' : line.slice(at + 1).trim();
    if (['model name', 'Processor', 'vendor_id', 'cpu', 'Vendor', 'processor'].includes(key)) {
      processor.push(val);
      if (key === 'vendor_id') vendorIds++;
      if (key === 'model name') modelNames++;
      if (key === 'processor') processors++;
      i++;
    } else if (key === 'physical id') {
      physid = val;
      if (!sockets.has(physid)) sockets.set(physid, 1);
    } else if (key === 'core id') {
      coreid = val;
      // Ansible checks the sockets map here (a quirk kept for the same counts).
      if (!sockets.has(coreid)) cores.set(coreid, 1);
    } else if (key === 'cpu cores') sockets.set(physid, Number(val));
    else if (key === 'siblings') cores.set(coreid, Number(val));
    else if (key === '# processors') explicitCores = Number(val);
    else if (key === 'ncpus active') i = Number(val);
  }
  if (vendorIds > 0 && vendorIds === modelNames) i = vendorIds;
  if (/^(armv|aarch|ppc)/.test(architecture)) i = processors;
  const facts: Facts = { processor };
  if (architecture === 's390x') return facts;
  const count = sockets.size ? sockets.size : i;
  const socketValues = [...sockets.values()];
  const coresPerSocket = socketValues.length && socketValues[0] ? socketValues[0] : (explicitCores ?? 1);
  const coreValues = [...cores.values()];
  const threads = coreValues.length ? Math.floor(coreValues[0] / coresPerSocket) : Math.floor(1 / coresPerSocket);
  facts.processor_count = count;
  facts.processor_cores = coresPerSocket;
  facts.processor_threads_per_core = threads;
  facts.processor_vcpus = threads * count * coresPerSocket;
  const n = Number((nproc ?? '').trim());
  facts.processor_nproc = Number.isInteger(n) && n > 0 ? n : processors;
  return facts;
}

export function uptimeFacts(text: string | undefined): Facts {
  const s = Number((text ?? '').trim().split(/\s+/)[0]);
  return Number.isFinite(s) && (text ?? '').trim() ? { uptime_seconds: Math.floor(s) } : {};
}

/** /proc/mounts escapes space, tab, newline and backslash as octal. */
function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Mount points findmnt shows with a source like `/dev/vda[/etc/os-release]`: bind mounts. */
function bindMounts(findmnt: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const line of (findmnt ?? '').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 2 && f[1].endsWith(']')) out.add(f[0]);
  }
  return out;
}

export function mountFacts(text: string | undefined, lsblk: string | undefined, findmnt?: string): Facts {
  const binds = bindMounts(findmnt);
  const uuids = new Map<string, string>();
  for (const line of (lsblk ?? '').split('\n')) {
    const [name, uuid] = line.trim().split(/\s+/);
    if (name && uuid) uuids.set(name, uuid);
  }
  // One entry per mount point: a later line for the same point replaces the earlier one in its place, as Ansible's dict does.
  const mounts = new Map<string, Facts>();
  let current: Facts | undefined;
  for (const line of (text ?? '').split('\n')) {
    if (line.startsWith('mount ')) {
      const [device, mount, fstype, options] = line.slice(6).split(' ').map(unescapeOctal);
      current = { mount, device, fstype, options: binds.has(mount) && !/bind/.test(options) ? `${options},bind` : options };
      mounts.set(mount, current);
    } else if (line.startsWith('statvfs') && current) {
      const n = line.slice(8).trim().split(/\s+/).map(Number);
      if (n.length === 6 && n.every(Number.isFinite)) {
        const [frsize, blocks, bavail, bsize, files, ffree] = n;
        Object.assign(current, {
          size_total: frsize * blocks,
          size_available: frsize * bavail,
          block_size: bsize,
          block_total: blocks,
          block_available: bavail,
          block_used: blocks - bavail,
          inode_total: files,
          inode_available: ffree,
          inode_used: files - ffree,
        });
      }
      current.uuid = uuids.get(current.device as string) || 'N/A';
    }
  }
  return { mounts: [...mounts.values()] };
}
