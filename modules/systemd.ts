import { serviceModule } from '../lib/module/files/service-module.js';

export default serviceModule('systemd');
