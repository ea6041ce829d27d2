export * from './categories';
export * from './feature-spec';
export * from './normalise';
export * from './pair-features';
export * from './request-features';
export * from './vendor-aliases';
export * from './vendor-similarity';
