/** Every workflow the workers register (one bundle for all task queues). */

export { order } from './order';
export { systemCheck } from './system-check';
