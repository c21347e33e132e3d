export * from './messages';
export { orderReturn, type ReturnResult } from './workflow';
