export * from './infra-stack';
export * from './addons-stack';
