/**
 * The transaction tables dnf and yum print before they ask (what
 * `--assumeno` shows), read into Ansible's results. The dnf table is dnf 4's
 * own output (Debian 12) with a name too long for its column; the yum table
 * is yum 3's layout (RHEL 7), which the tests cannot run here.
 */
import t from 'tap';
import { parseTransaction } from '../../lib/module/packages/rpm-state.js';
import { yumChanges } from '../../lib/module/packages/dnf-plan.js';

t.test("dnf 4: a long name on its own line, dependencies, a downgrade, and the summary's end", async (t) => {
  const out = `Dependencies resolved.
================================================================================
 Package                                    Arch      Version   Repo       Size
================================================================================
Installing:
 tsplay-app-with-a-very-long-name-indeed-and-more-still
                                            noarch    1.0-1     tsplay    6.1 k
Installing dependencies:
 tsplay-lib                                 noarch    1:1.0-1   tsplay    5.9 k
Upgrading:
 tsplay-demo                                noarch    2.0-1     tsplay    5.9 k
Downgrading:
 tsplay-pinned                              noarch    0.5-1     tsplay    4.0 k
Removing:
 tsplay-old                                 noarch    0.9-1     @System     4

Transaction Summary
================================================================================
Install  2 Packages
Upgrade  1 Package
Remove   1 Package
Operation aborted.
`;
  t.same(parseTransaction(out), {
    items: [
      { action: 'Installed', package: 'tsplay-app-with-a-very-long-name-indeed-and-more-still-1.0-1.noarch', name: 'tsplay-app-with-a-very-long-name-indeed-and-more-still' },
      { action: 'Installed', package: 'tsplay-lib-1:1.0-1.noarch', name: 'tsplay-lib' },
      { action: 'Installed', package: 'tsplay-demo-2.0-1.noarch', name: 'tsplay-demo' },
      { action: 'Installed', package: 'tsplay-pinned-0.5-1.noarch', name: 'tsplay-pinned' },
      { action: 'Removed', package: 'tsplay-old-0.9-1.noarch', name: 'tsplay-old' },
    ],
    upgraded: ['tsplay-demo'],
    upgrades: [{ name: 'tsplay-demo', to: '2.0-1.noarch', repo: 'tsplay' }],
    downgraded: ['tsplay-pinned'],
  });
});

t.test('yum 3: its section names, and replacing lines that are not packages', async (t) => {
  const out = `Resolving Dependencies
--> Running transaction check
---> Package etcd.x86_64 0:3.2.22-1.el7 will be updated
Dependencies Resolved

================================================================================
 Package            Arch          Version                 Repository      Size
================================================================================
Installing:
 haproxy            x86_64        1.5.18-9.el7            rhel-7-server   834 k
     replacing  haproxy15.x86_64 1.5.4-1.el7
Updating:
 etcd               x86_64        3.2.28-1.el7_8          rhel-7-extras   9.9 M
Installing for dependencies:
 libfoo             x86_64        2.0-3.el7               rhel-7-server    50 k
Removing for dependencies:
 libbar             x86_64        1.0-1.el7               @rhel-7-server  120 k

Transaction Summary
================================================================================
Install  1 Package (+1 Dependent package)
Upgrade  1 Package
Exiting on user command
`;
  t.same(parseTransaction(out), {
    items: [
      { action: 'Installed', package: 'haproxy-1.5.18-9.el7.x86_64', name: 'haproxy' },
      { action: 'Installed', package: 'etcd-3.2.28-1.el7_8.x86_64', name: 'etcd' },
      { action: 'Installed', package: 'libfoo-2.0-3.el7.x86_64', name: 'libfoo' },
      { action: 'Removed', package: 'libbar-1.0-1.el7.x86_64', name: 'libbar' },
    ],
    upgraded: ['etcd'],
    upgrades: [{ name: 'etcd', to: '3.2.28-1.el7_8.x86_64', repo: 'rhel-7-extras' }],
    downgraded: [],
  });
});

t.test('nothing to do is no items', async (t) => {
  t.same(parseTransaction('Dependencies resolved.\nNothing to do.\nComplete!\n'), { items: [], upgraded: [], upgrades: [], downgraded: [] });
});

t.test("yum's changes, as Ansible's yum module (RHEL 7) returns them", async (t) => {
  const upgrades = [{ name: 'etcd', to: '3.2.28-1.el7_8.x86_64', repo: 'rhel-7-extras' }];
  t.same(yumChanges('present', ['haproxy'], ['etcd'], []), { installed: ['haproxy'] }, 'present: the specs it installs');
  t.equal(yumChanges('present', [], ['etcd'], []), undefined, 'present with nothing to install: no changes key');
  t.same(yumChanges('absent', ['haproxy'], ['etcd'], []), { removed: ['etcd'] }, 'absent: the installed specs it removes');
  t.equal(yumChanges('absent', ['haproxy'], [], []), undefined, 'absent with nothing installed: no changes key');
  t.same(
    yumChanges('latest', ['haproxy'], ['etcd-3.2', 'libfoo'], upgrades),
    { installed: ['haproxy'], updated: [['etcd-3.2', '3.2.28-1.el7_8.x86_64 from rhel-7-extras']] },
    'latest: what it installs, and each spec it upgrades with the version and repository',
  );
  t.same(yumChanges('latest', [], ['etcd'], []), { installed: [], updated: [] }, 'latest with nothing to do: empty changes, as yum returns');
});
