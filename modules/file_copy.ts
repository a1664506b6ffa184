import { copyModule } from '../lib/module/files/copy-module.js';

export default copyModule('file_copy', 'Puts a file on the host from `content` or a controller file (`src`), atomically, with owner, group, mode, backup, validate and force; the same module as copy under the name the procedures use.');
