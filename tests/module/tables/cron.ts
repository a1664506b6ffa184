import type { Table } from './index.js';

// cron_file cases, in the scratch directory (an absolute cron_file is used as it is).
const job = '#Ansible: backup\n0 */6 * * * root /usr/local/bin/backup\n';
const other = 'SHELL=/bin/sh\n#Ansible: rotate\n5 1 * * * root /usr/sbin/logrotate /etc/logrotate.conf\n';

const table: Table = () => [
  {
    name: 'a job in a new cron_file',
    args: { name: 'backup', minute: '0', hour: '*/6', job: '/usr/local/bin/backup', user: 'root', cron_file: '{{ test_dir }}/backup' },
    plan: { changed: true },
    diff: [{ path: 'backup', before: '', after: job }],
    expect: { backup: job },
    result: { jobs: ['backup'], envs: [], cron_file: /\/backup$/ },
  },
  {
    name: 'a changed schedule replaces the job line only',
    files: { tab: `${other}#Ansible: backup\n0 3 * * * root /usr/local/bin/backup\n` },
    args: { name: 'backup', minute: '0', hour: '*/6', job: '/usr/local/bin/backup', user: 'root', cron_file: '{{ test_dir }}/tab' },
    plan: { changed: true },
    diff: [{ path: 'tab', after: other + job }],
    expect: { tab: other + job },
    result: { jobs: ['rotate', 'backup'], envs: ['SHELL'] },
  },
  {
    name: 'the job as it is: nothing changes',
    files: { tab: other + job },
    args: { name: 'backup', minute: '0', hour: '*/6', job: '/usr/local/bin/backup', user: 'root', cron_file: '{{ test_dir }}/tab' },
    plan: { changed: false },
    diff: [],
    expect: { tab: other + job },
  },
  {
    name: 'an unnamed copy of the line is adopted under the name',
    files: { tab: '0 */6 * * * root /usr/local/bin/backup\n' },
    args: { name: 'backup', minute: '0', hour: '*/6', job: '/usr/local/bin/backup', user: 'root', cron_file: '{{ test_dir }}/tab' },
    plan: { changed: true },
    expect: { tab: job },
  },
  {
    name: 'special_time and disabled',
    args: { name: 'warm', special_time: 'reboot', job: '/bin/warm', disabled: true, user: 'app', cron_file: '{{ test_dir }}/warm' },
    plan: { changed: true },
    expect: { warm: '#Ansible: warm\n#@reboot app /bin/warm\n' },
  },
  {
    name: 'a variable goes at the top; insertafter places another',
    files: { tab: other },
    args: { name: 'MAILTO', env: true, job: 'ops@example.com', user: 'root', cron_file: '{{ test_dir }}/tab', insertafter: 'SHELL' },
    plan: { changed: true },
    expect: { tab: `SHELL=/bin/sh\nMAILTO="ops@example.com"\n#Ansible: rotate\n5 1 * * * root /usr/sbin/logrotate /etc/logrotate.conf\n` },
    result: { envs: ['SHELL', 'MAILTO'] },
  },
  {
    name: 'a variable with a new value is replaced in place',
    files: { tab: `MAILTO="old@example.com"\n${job}` },
    args: { name: 'MAILTO', env: true, job: 'ops@example.com', user: 'root', cron_file: '{{ test_dir }}/tab' },
    plan: { changed: true },
    expect: { tab: `MAILTO="ops@example.com"\n${job}` },
  },
  {
    name: 'state: absent removes the job, other lines stay',
    files: { tab: other + job },
    args: { name: 'backup', state: 'absent', cron_file: '{{ test_dir }}/tab' },
    plan: { changed: true },
    diff: [{ path: 'tab', before: other + job, after: other }],
    expect: { tab: other },
  },
  {
    name: "state: absent of a cron_file's last job removes the file",
    files: { backup: job },
    args: { name: 'backup', state: 'absent', cron_file: '{{ test_dir }}/backup' },
    plan: { changed: true },
    diff: [{ path: 'backup', before: job, after: '' }],
    expect: { backup: null },
    result: { state: 'absent' },
  },
  {
    name: 'a missing final newline is added',
    files: { tab: job.trimEnd() },
    args: { name: 'backup', minute: '0', hour: '*/6', job: '/usr/local/bin/backup', user: 'root', cron_file: '{{ test_dir }}/tab' },
    plan: { changed: true },
    expect: { tab: job },
  },
  { name: 'cron_file needs user', args: { name: 'x', job: '/bin/true', cron_file: '{{ test_dir }}/x' }, plan: { changed: false, failed: 'To use cron_file=... parameter you must specify user=... as well' } },
  { name: 'special_time with a time field', args: { name: 'x', job: '/bin/true', special_time: 'daily', hour: '1', user: 'root', cron_file: '{{ test_dir }}/x' }, plan: { changed: false, failed: 'You must specify time and date fields or special time.' } },
  { name: 'state: present needs job', args: { name: 'x', user: 'root', cron_file: '{{ test_dir }}/x' }, plan: { changed: false, failed: "You must specify 'job' to install a new cron job or variable" } },
  { name: '/etc/crontab is refused', args: { name: 'x', job: '/bin/true', user: 'root', cron_file: '/etc/crontab' }, plan: { changed: false, failed: /Will not manage \/etc\/crontab/ } },
  { name: "Ansible's alias value is refused by name", args: { name: 'x', value: '/bin/true', user: 'root', cron_file: '{{ test_dir }}/x' }, plan: { changed: false, failed: /value/ } },
];
export default table;
