export { SshConnection } from './connection.js';
export { sshSettingsFromVars, parseSshArgs, splitArgs, parseJumpHost, expandPath, type SshSettings, type SshRunOptions, type HostKeyChecking, type JumpHost } from './options.js';
export { fingerprint, hostKeyName, parseKnownHosts, checkHostKey, recordHostKey, hostsFieldMatches } from './known-hosts.js';
