import { dnfModule } from '../lib/module/packages/dnf-plan.js';

export default dnfModule('yum');
