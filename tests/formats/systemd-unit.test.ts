import t from 'tap';
import { appendToExecStart, effectiveExecStart, execStartDropIn, parseUnit } from '../../lib/formats/systemd-unit.js';

// The lab's etcd unit, shaped like the RHEL 7 RPM's.
const etcdUnit = `[Unit]
Description=Etcd Server
After=network.target

[Service]
Type=notify
WorkingDirectory=/var/lib/etcd/
EnvironmentFile=-/etc/etcd/etcd.conf
User=etcd
# set GOMAXPROCS to number of processors
ExecStart=/bin/bash -c "GOMAXPROCS=$(nproc) /usr/bin/etcd --name=\\"\${ETCD_NAME}\\" --data-dir=\\"\${ETCD_DATA_DIR}\\" --listen-client-urls=\\"\${ETCD_LISTEN_CLIENT_URLS}\\""
Restart=on-failure

[Install]
WantedBy=multi-user.target
`;
const lastLine = etcdUnit.split('\n').find((l) => l.startsWith('ExecStart='))!;

t.test('the drop-in the documents\' sed builds', async (t) => {
  // sed -n '/ExecStart/s/"$/ --force-new-cluster"/p' /usr/lib/systemd/system/etcd.service
  const sedLine = lastLine.replace(/"$/, ' --force-new-cluster"');
  t.equal(execStartDropIn({ path: 'etcd.service', text: etcdUnit }, [], '--force-new-cluster'), `[Service]\nExecStart=\n${sedLine}\n`);
});

t.test('the flag: before a closing quote, else at the end, never twice', async (t) => {
  t.equal(appendToExecStart('/bin/bash -c "etcd --a"', '--force-new-cluster'), '/bin/bash -c "etcd --a --force-new-cluster"');
  t.equal(appendToExecStart('/usr/bin/etcd --a', '--force-new-cluster'), '/usr/bin/etcd --a --force-new-cluster');
  t.equal(appendToExecStart('/bin/bash -c "etcd --a --force-new-cluster"', '--force-new-cluster'), '/bin/bash -c "etcd --a --force-new-cluster"');
});

t.test('the effective ExecStart: drop-ins in order, an empty ExecStart= resets', async (t) => {
  const unit = { path: 'u', text: '[Service]\nExecStart=/a\n' };
  t.same(effectiveExecStart(unit), ['/a']);
  t.same(effectiveExecStart(unit, [{ path: '10.conf', text: '[Service]\nExecStart=\nExecStart=/b\n' }]), ['/b']);
  t.same(effectiveExecStart(unit, [{ path: '10.conf', text: '[Service]\nExecStart=/b\n' }]), ['/a', '/b'], 'without a reset, oneshot-style lists grow');
  t.same(effectiveExecStart(unit, [{ path: '10.conf', text: '[Unit]\nExecStart=/c\n' }]), ['/a'], 'only [Service] counts');
  t.same(effectiveExecStart({ path: 'u', text: '[Service]\r\nExecStart=/x \\\r\n  --y \\\r\n  # note\r\n  --z\r\n' }), ['/x  --y  --z'], 'continuation lines and CRLF');
  t.throws(() => execStartDropIn({ path: 'u.service', text: '[Service]\nType=oneshot\n' }, [], '--f'), /u.service has no ExecStart=/);
  t.throws(() => execStartDropIn(unit, [{ path: '10.conf', text: '[Service]\nExecStart=/b\n' }], '--f'), /runs 2 ExecStart= commands/);
  t.same(parseUnit('; c\n[A]\nK = v \n'), [{ section: 'A', key: 'K', value: 'v' }]);
});
