export { DirectCarrier, SIGNATURE_HEADER } from './direct-carrier';
export { EasyPostCarrier, easyPostSignature, mapEasyPostStatus } from './easypost';
export { CarrierRegistry, createCarriers, parseCarrierNames } from './registry';
export { signBody, verifySignature } from './signature';
export * from './types';
