/** Every workflow the workers register (one bundle for all task queues). */
export { searchReindex } from './search-reindex';
export { searchSync } from './search-sync';
export { systemCheck } from './system-check';
