import { defineConformanceSuite } from '../src/suite.ts';

defineConformanceSuite('embeddings');
