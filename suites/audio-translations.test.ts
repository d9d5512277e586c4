import { defineConformanceSuite } from '../src/suite.ts';

defineConformanceSuite('audio.translations');
