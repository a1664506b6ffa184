import { serviceTable } from './systemd.js';

export default serviceTable();
