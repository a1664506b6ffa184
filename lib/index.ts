/**
 * The public API: what other teams import from 'tsplay'.
 *
 *   import { defineModule, runPlaybook } from 'tsplay';
 *   import etcdMember from 'tsplay/modules/etcd_member';
 */
export { defineModule } from './module/define.js';
export type { ModuleDefinition, ModuleContext, Plan, ApplyResult, FileDiff, ArgumentSchema, ResultData } from './module/define.js';
export { runPlaybook, type RunResult } from './engine/run.js';
export type { RunOptions } from './engine/options.js';
export type { RunEvent, Reporter, HostStats, HostStatus } from './output/events.js';
export { plainReporter } from './output/plain.js';
export { jsonReporter } from './output/json.js';
export { loadInventory, selectHosts, inventoryToAnsibleList, type Inventory } from './inventory/index.js';
export { loadPlaybook } from './playbook/load.js';
export { renderValue, renderString, renderVar, evaluateCondition, evaluateExpression } from './template/index.js';
export { LocalConnection } from './connection/local.js';
export { createConnection, type ConnectionOptions } from './connection/factory.js';
export type { Connection, ExecOptions, ExecResult, FileStat, BecomeOptions } from './connection/types.js';
export { CommandError, UnreachableError } from './connection/types.js';
export { TsplayError, ExitCode, type SourcePos } from './errors.js';
