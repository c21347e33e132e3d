export { DirectCarrier, SIGNATURE_HEADER } from './direct-carrier';
export { EasyPostCarrier, easyPostSignature, mapEasyPostStatus } from './easypost';
export { CarrierRegistry, createCarriers, parseCarrierNames } from './registry';
export { SIGNATURE_TOLERANCE_SECONDS, signBody, signWebhook, verifyWebhookSignature } from './signature';
export * from './types';
