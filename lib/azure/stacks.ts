export * from './platform-stack';
export * from './infra-stack';
export * from './addons-stack';
