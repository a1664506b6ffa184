import { copyModule } from '../lib/module/files/copy-module.js';

export default copyModule('copy', "Puts a file on the host from `content` or a controller file (`src`), atomically, keeping or setting owner and mode; idempotent by content. Ansible's copy: a controller directory is copied file by file (`src/` its contents, `src` the directory itself), writing only the files that differ; `remote_src` copies a single file already on the host.");
