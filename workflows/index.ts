/** Every workflow the workers register (one bundle for all task queues). */
export { inventorySync } from './inventory-sync';
export { releaseExpiredHolds } from './release-expired-holds';
export { searchReindex } from './search-reindex';
export { searchSync } from './search-sync';
export { systemCheck } from './system-check';
