// Public API: re-exports only.
export * from './spec';
