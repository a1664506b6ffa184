/**
 * The network subset: interfaces (and one `ansible_<iface>` dict each),
 * default_ipv4/default_ipv6, all_ipv4_addresses/all_ipv6_addresses, read
 * from /sys/class/net and `ip addr show` / `ip route get` as ansible-core
 * 2.14's LinuxNetwork does (module_utils/facts/network/linux.py). The
 * interfaces' ethtool features are not read.
 */
import { setOwn } from '../../util/own.js';
import { fields } from './system.js';

type Facts = Record<string, unknown>;
type Iface = Record<string, unknown>;

const INTERFACE_TYPE: Record<string, string> = { '1': 'ether', '32': 'infiniband', '512': 'ppp', '772': 'loopback', '65534': 'tunnel' };

function routeOf(line: string, target: string): Record<string, string> {
  const words = line.trim().split(/\s+/);
  const out: Record<string, string> = {};
  if (words[0] !== target) return out;
  for (let i = 0; i < words.length - 1; i++) {
    if (words[i] === 'dev') out.interface = words[i + 1];
    else if (words[i] === 'src') out.address = words[i + 1];
    else if (words[i] === 'via' && words[i + 1] !== target) out.gateway = words[i + 1];
  }
  return out;
}

function ipv4Net(address: string, prefix: string): { netmask: string; network: string } {
  const a = address.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const len = Number(prefix);
  const mask = len === 0 ? 0 : (0xffffffff - (2 ** (32 - len) - 1)) >>> 0;
  const dotted = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
  return { netmask: dotted(mask), network: dotted((a & mask) >>> 0) };
}

/**
 * The facts from the script's sections: `routes`, then per device `net D`
 * (sysfs values), `primary D` and `secondary D` (`ip addr show` output).
 */
export function networkFacts(sections: Map<string, string>): Facts {
  const routes = fields((sections.get('routes') ?? '').replace(/^(v[46]) /gm, '$1='));
  // Without `ip`, Ansible gives no network facts at all.
  if (routes.ip !== '1') return {};
  const defaultIpv4: Record<string, unknown> = routeOf(routes.v4 ?? '', '8.8.8.8');
  const defaultIpv6: Record<string, unknown> = routeOf(routes.v6 ?? '', '2404:6800:400a:800::1012');
  // A Map: device names are host data (a device may be named `__proto__`).
  const interfaces = new Map<string, Iface>();
  const all4: string[] = [];
  const all6: string[] = [];
  const devices = [...sections.keys()].filter((k) => k.startsWith('net ')).map((k) => k.slice(4));
  for (const device of devices) {
    const sys = fields(sections.get(`net ${device}`));
    const iface: Iface = { device };
    interfaces.set(device, iface);
    const mac = (sys.address ?? '').trim();
    if (mac && mac !== '00:00:00:00:00:00') iface.macaddress = mac;
    if (sys.mtu !== undefined) iface.mtu = Number(sys.mtu);
    if (sys.operstate !== undefined) iface.active = sys.operstate.trim() !== 'down';
    if (sys.module) iface.module = sys.module;
    if (sys.type !== undefined) iface.type = INTERFACE_TYPE[sys.type.trim()] ?? 'unknown';
    if (sys.bridge !== undefined) {
      iface.type = 'bridge';
      iface.interfaces = sys.bridge.split(' ').filter(Boolean);
      iface.id = sys.bridge_id ?? '';
      iface.stp = sys.stp_state === '1';
    }
    if (sys.pciid) iface.pciid = sys.pciid;
    if (sys.speed !== undefined && /^-?\d+$/.test(sys.speed.trim())) iface.speed = Number(sys.speed);
    if (sys.flags !== undefined) iface.promisc = (parseInt(sys.flags, 16) & 0x100) > 0;

    const parse = (output: string | undefined, secondary: boolean) => {
      for (const line of (output ?? '').split('\n')) {
        const words = line.trim().split(/\s+/);
        if (words[0] === 'inet') {
          const [address, prefix = '32'] = words[1].split('/');
          const broadcast = words.length > 3 && words[2] === 'brd' ? words[3] : '';
          const { netmask, network } = ipv4Net(address, prefix);
          const entry = { address, broadcast, netmask, network, prefix };
          let label = words[words.length - 1];
          if (label !== device) label = label.replace(/:/g, '_');
          if (label !== device && !interfaces.has(label)) interfaces.set(label, {});
          const target: Iface = label === device ? iface : interfaces.get(label)!;
          if (!secondary && !('ipv4' in target)) target.ipv4 = entry;
          else ((target.ipv4_secondaries as unknown[]) ??= []).push(entry);
          if (secondary && label !== device) ((iface.ipv4_secondaries as unknown[]) ??= []).push({ ...entry });
          if (defaultIpv4.address === address) {
            Object.assign(defaultIpv4, { broadcast, netmask, network, prefix, macaddress: mac, mtu: iface.mtu, type: iface.type ?? 'unknown', alias: words[words.length - 1] });
          }
          if (!address.startsWith('127.')) all4.push(address);
        } else if (words[0] === 'inet6') {
          let address: string;
          let prefix: string;
          let scope: string;
          if (words[2] === 'peer') {
            address = words[1];
            prefix = words[3].split('/')[1];
            scope = words[5];
          } else {
            [address, prefix] = words[1].split('/');
            scope = words[3];
          }
          ((iface.ipv6 as unknown[]) ??= []).push({ address, prefix, scope });
          if (defaultIpv6.address === address) Object.assign(defaultIpv6, { prefix, scope, macaddress: mac, mtu: iface.mtu, type: iface.type ?? 'unknown' });
          if (address !== '::1') all6.push(address);
        }
      }
    };
    parse(sections.get(`primary ${device}`), false);
    parse(sections.get(`secondary ${device}`), true);
  }
  const facts: Facts = { interfaces: [...interfaces.keys()].map((n) => n.replace(/:/g, '_')) };
  for (const [name, iface] of interfaces) setOwn(facts, name.replace(/:/g, '_'), iface);
  facts.default_ipv4 = defaultIpv4;
  facts.default_ipv6 = defaultIpv6;
  facts.all_ipv4_addresses = all4;
  facts.all_ipv6_addresses = all6;
  return facts;
}
