/** Every workflow the workers register (one bundle for all task queues). */
export { inventorySync } from './inventory-sync';
export { order, orderRefunds } from './order';
export { releaseExpiredHolds } from './release-expired-holds';
export { orderReturn } from './return/workflow';
export { searchReindex } from './search-reindex';
export { searchSync } from './search-sync';
export { shipmentTracking } from './shipment-tracking';
export { shippingQuote } from './shipping-quote';
export { systemCheck } from './system-check';
