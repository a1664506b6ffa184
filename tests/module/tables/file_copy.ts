import { copyTable } from './copy.js';

export default copyTable('file_copy');
