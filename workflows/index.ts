/** Every workflow the workers register (one bundle for all task queues). */
export { systemCheck } from './system-check';
