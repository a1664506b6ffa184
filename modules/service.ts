import { serviceModule } from './systemd.js';

export default serviceModule('service');
