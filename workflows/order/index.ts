/** The order workflow and its messages (what the API, the workers and the tracking workflow import). */
export * from './messages';
export { order } from './order';
export { orderRefunds } from './refunds';
