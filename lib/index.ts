/**
 * The public API: what other teams import from 'tsplay'.
 *
 *   import { runPlaybook } from 'tsplay';
 *   import { defineModule, reads } from 'tsplay/module';   // the module kit
 *   import { testModule } from 'tsplay/testing';            // the module tester
 *   import etcdMember from 'tsplay/modules/etcd_member';
 *
 * The kit is also re-exported here, so `import { defineModule } from 'tsplay'`
 * works as it always has.
 */
export * from './module/kit.js';
export { runPlaybook, type RunResult, type RunFailure } from './engine/run.js';
export type { RunOptions, PlaybookRunOptions, PlaybookSpec, InventorySpec, InventoryGroupSpec } from './engine/options.js';
export type { RunEvent, Reporter, HostStats, HostStatus } from './output/events.js';
export { plainReporter } from './output/plain.js';
export { jsonReporter } from './output/json.js';
export { loadInventory, selectHosts, inventoryToAnsibleList, type Inventory } from './inventory/index.js';
export { loadPlaybook } from './playbook/load.js';
export { renderValue, renderString, renderVar, evaluateCondition, evaluateExpression } from './template/index.js';
export { LocalConnection } from './connection/local.js';
export { createConnection, type ConnectionOptions } from './connection/factory.js';
export type { Connection, ExecOptions, ExecResult, FileOptions, FileStat, BecomeOptions } from './connection/types.js';
export { CommandError, UnreachableError } from './connection/types.js';
export { writeRemoteFile } from './connection/remote-file.js';
export { runReads } from './connection/batch-read.js';
export { TsplayError, ExitCode, type SourcePos } from './errors.js';
export { setVaultSecrets, type VaultSecret } from './vault/secrets.js';
