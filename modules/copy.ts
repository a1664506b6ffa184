import { copyModule } from '../lib/module/files/copy-module.js';

export default copyModule('copy', "Puts a file on the host from `content` or a controller file (`src`), atomically, keeping or setting owner and mode; idempotent by content. Ansible's copy for single files (no directories, no remote_src).");
