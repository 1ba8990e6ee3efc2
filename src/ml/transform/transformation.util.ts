/**
 * Raw features → a model's input vector: the config a tenant writes, its validation against a
 * dataset, fitting on the training rows, and the encoders shared by training and serving. One
 * import path for all of it; each part lives in its own file.
 */
export * from './transformation-config.util';
export * from './validate-transformation.util';
export * from './fit-transformation.util';
export * from './encode-features.util';
