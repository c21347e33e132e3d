/** Every workflow the workers register (one bundle for all task queues). */
export { shipmentTracking } from './shipment-tracking';
export { shippingQuote } from './shipping-quote';
export { systemCheck } from './system-check';
