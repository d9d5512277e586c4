import { defineConformanceSuite } from '../src/suite.ts';

defineConformanceSuite('images.generations');
