export { DirectCarrier, SIGNATURE_HEADER } from './direct-carrier';
export { CarrierRegistry, createCarriers, parseCarrierNames } from './registry';
export { signBody, verifySignature } from './signature';
export * from './types';
