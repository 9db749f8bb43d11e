// Public API: re-exports only.
export * from './spec';
export * from './azure';
