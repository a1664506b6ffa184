// Loaded into every test process (.taprc node-arg): tsplay and Ansible started
// by a test read this empty ansible.cfg, never the machine's ~/.ansible.cfg or
// /etc/ansible/ansible.cfg. A test that is about configuration sets its own.
import { fileURLToPath } from 'node:url';

process.env.ANSIBLE_CONFIG = fileURLToPath(new URL('./empty-ansible.cfg', import.meta.url));
