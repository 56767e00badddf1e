/** Every op helper under one namespace: `import { op } from '../graph'; op.gemm(g, x, w, b)`. */
export * from './math';
export * from './shape';
export * from './reduce';
export * from './nn';
export * from './losses';
export * from './loop';
export * from './conv';
