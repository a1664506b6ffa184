"""Maps an operator's OpenShift 3.11 inventory onto lab hosts (`up --like`).

stdin: `tsplay inventory -i SRC --list` (JSON). Arguments: WANT_DIR SRC ETCD_MODE
MAX_MASTERS MAX_ETCD MAX_NODES. Writes the staged topology files into WANT_DIR
(see lab/lib/topology.sh) and prints "MASTERS NODES"; refuses with one
paragraph on stderr and exit 1. The rules are in lab/lib/like.sh's header.
"""
import ipaddress
import json
import os
import re
import sys

want, src, mode_override = sys.argv[1], sys.argv[2], sys.argv[3]
max_masters, max_etcd, max_nodes = (int(a) for a in sys.argv[4:7])
inv = json.load(sys.stdin)
hostvars = inv.get("_meta", {}).get("hostvars", {})


def refuse(why, what):
    print(f"lab: error: --like {src}: {why} {what}", file=sys.stderr)
    sys.exit(1)


def hosts_of(group, seen=None):
    """The hosts of a group and of its children, in inventory order, once each."""
    seen = seen if seen is not None else set()
    if group in seen or group not in inv:
        return []
    seen.add(group)
    out = list(inv[group].get("hosts", []))
    for child in inv[group].get("children", []):
        out += hosts_of(child, seen)
    return list(dict.fromkeys(out))


masters = hosts_of("masters")
etcd = hosts_of("etcd")
lbs = hosts_of("lb")
every = hosts_of("all") or list(hostvars)

if not masters:
    refuse("the inventory has no [masters] hosts.", "The lab copies OpenShift 3.11 clusters: list the masters in a [masters] group.")
if len(masters) > max_masters:
    refuse(f"{len(masters)} masters;", f"the lab runs at most {max_masters} (one loopback address each, 127.0.10.1-9).")
if not etcd:
    refuse("the inventory has no [etcd] hosts.", "openshift-ansible 3.11 needs an [etcd] group (its hosts run etcd); add yours.")
if len(etcd) > max_etcd:
    refuse(f"{len(etcd)} etcd members;", f"the lab runs at most {max_etcd}.")
colocated = [h for h in etcd if h in masters]
if colocated and len(colocated) != len(etcd):
    apart = [h for h in etcd if h not in masters]
    refuse("etcd is partly on the masters and partly on other hosts", f"({', '.join(apart)}): a topology the lab does not know. It runs etcd either on masters only or on dedicated hosts only.")
if len(lbs) > 1:
    refuse(f"{len(lbs)} hosts in [lb];", "the lab runs one load balancer.")
if lbs and (lbs[0] in masters or lbs[0] in etcd):
    refuse(f"the load balancer {lbs[0]} is also a master or an etcd host,", "a topology the lab does not know.")

mode = mode_override or ("static-pod" if colocated else "service")
if mode == "static-pod" and not colocated:
    refuse("--etcd static-pod with etcd on dedicated hosts:", "openshift-ansible 3.11 runs etcd as a static pod only on masters; dedicated etcd hosts run etcd.service.")

ids = {}
for i, h in enumerate(masters):
    ids[h] = f"master-{i}"
if not colocated:
    for i, h in enumerate(etcd):
        ids[h] = f"etcd-{i}"
if lbs:
    ids[lbs[0]] = "lb"
others = [h for h in every if h not in ids]
if len(others) > max_nodes:
    refuse(f"{len(others)} hosts besides masters, etcd and lb;", f"the lab runs at most {max_nodes}.")
for i, h in enumerate(others):
    ids[h] = f"node-{i}"

NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")


def full_name(h):
    """The host's name inside the lab: openshift_hostname when set, else its inventory name."""
    v = hostvars.get(h, {})
    name = str(v.get("openshift_hostname") or h)
    try:
        ipaddress.ip_address(name)
        refuse(f"host {h} is named by an address.", "The lab gives every host a loopback address and keeps only names: name it (its host name, or openshift_hostname=).")
    except ValueError:
        pass
    if name.split(".")[0] == "localhost":
        refuse(f"host {h} is this machine (localhost).", "The lab copies clusters of real hosts: list them by their host names.")
    if len(name) > 253 or not NAME.match(name):
        refuse(f"host {h}: '{name}' is not a host name the lab can give a host.", "Use letters, digits, '-' and '.'.")
    return name


# The login user: theirs when they set one (created on every lab host, sudo
# without a password), else root, which the lab accepts.
users = {str(v.get("ansible_user") or v.get("ansible_ssh_user") or "") for v in (hostvars.get(h, {}) for h in ids)}
users.discard("")
if len(users) > 1:
    refuse(f"the hosts log in as different users ({', '.join(sorted(users))});", "the lab creates one login user on every host.")
user = users.pop() if users else "root"
if not re.match(r"^[a-z_][a-z0-9_-]{0,31}$", user):
    refuse(f"ansible_user '{user}' is not a user name the lab can create.", "")

names = []
for h, lab_id in ids.items():
    v = hostvars.get(h, {})
    extra = []
    if not (v.get("ansible_user") or v.get("ansible_ssh_user")):
        extra.append("ansible_user=root")
    if "ansible_connection" in v:
        extra.append("ansible_connection=ssh")  # the lab's copy is reached over SSH
    if "ansible_port" in v or "ansible_ssh_port" in v:
        extra.append("ansible_port=22")  # the lab's sshd listens on 22
    if "ansible_python_interpreter" in v:
        extra.append("ansible_python_interpreter=/usr/bin/python3")  # the lab's hosts have python3 only
    names.append(f"{lab_id} {full_name(h)} {h}" + ("".join(" " + e for e in extra)))
fqdns = [n.split()[1] for n in names]
dup = {f for f in fqdns if fqdns.count(f) > 1}
if dup:
    refuse(f"two hosts share the name {', '.join(sorted(dup))}.", "Every host needs its own name.")


def write(name, text):
    with open(os.path.join(want, name), "w") as f:
        f.write(text)


write("etcd-hosts", f"{0 if colocated else len(etcd)}\n")
write("etcd-mode", f"{mode}\n")
write("etcd-members", "".join(ids[h] + "\n" for h in etcd))
write("lb", "1\n" if lbs else "0\n")
write("names", "".join(n + "\n" for n in names))
write("like", src + "\n")
write("login-user", user + "\n")
print(len(masters), len(others))
